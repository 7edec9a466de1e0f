#!/usr/bin/env bash
# `npm run gen-sdks`: regenerates the Go and Python SDKs (sdk/go, sdk/python) from the plugin's
# schema, as the plugin serves it (buildSchema of the built package, at package.json's version),
# with pva-codegen (scripts/codegen, built by scripts/golang.sh). Deterministic: the same schema
# gives the same files; test/unit/sdk/generatedSdks.test.ts fails when the committed ones are stale.
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
schema=$(mktemp --suffix=.json)
trap 'rm -f "$schema"' EXIT
node -e '
  const { buildSchema } = require("./lib/provider/plugin/schema");
  process.stdout.write(JSON.stringify(buildSchema(require("./package.json").version), null, 2) + "\n");
' >"$schema"
"$PVA_CODEGEN" -schema "$schema" -go sdk/go -python sdk/python
