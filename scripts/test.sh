#!/usr/bin/env bash
# Every test: unit tests in process, then end-to-end tests that drive the real Pulumi CLI
# against the emulator. Ends with one plain "N passed, N failed" line.
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
mkdir -p .work
set +e
npx jest --runInBand --json --outputFile=.work/jest-results.json "$@"
status=$?
set -e
node -e '
  const r = require("./.work/jest-results.json");
  console.log(`${r.numPassedTests} passed, ${r.numFailedTests} failed` + (r.numPendingTests ? `, ${r.numPendingTests} skipped` : ""));
' || true
exit $status
