#!/usr/bin/env bash
# `npm run bench`: the benchmark (bench/run.ts) through the real engine against the emulator.
# Prints Markdown; run it on a quiet machine and keep the figures in BENCHMARKS.md.
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
exec npx ts-node --transpile-only -P tsconfig.test.json bench/run.ts "$@"
