#!/usr/bin/env bash
# Every test: lint (ESLint and Prettier, `npm run lint`), unit tests in process, then end-to-end
# tests that drive the real Pulumi CLI against the emulator. Ends with one plain
# "N passed, N failed" line. With arguments (a test file, --selectProjects ...) only those tests
# run, without lint. A lint failure fails the run, after the tests have run and reported.
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
mkdir -p .work
set +e
lint=0
if [ $# -eq 0 ] && [ -z "${PVA_SKIP_LINT:-}" ]; then
  npm run --silent lint
  lint=$?
fi
rm -f .work/jest-results.json
npx jest --runInBand --json --outputFile=.work/jest-results.json "$@"
status=$?
set -e
[ "$lint" -eq 0 ] || echo "lint failed (npm run lint; npm run format fixes what it can)"
node -e '
  const r = require("./.work/jest-results.json");
  console.log(`${r.numPassedTests} passed, ${r.numFailedTests} failed` + (r.numPendingTests ? `, ${r.numPendingTests} skipped` : ""));
' || true
[ "$lint" -eq 0 ] || exit "$lint"
exit $status
