#!/usr/bin/env bash
# Builds the fuzz target, instruments CitationService.Core.dll with SharpFuzz and runs one afl-fuzz
# instance (one core) on it. Usage: fuzz/run.sh [seconds]   (default 1200; findings in .artifacts/fuzz/out)
# Needs afl-fuzz (Debian: apt-get install afl++); installs the sharpfuzz tool under .artifacts/tools.
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=${1:-1200}
tools=.artifacts/tools
bin=.artifacts/fuzz/bin
out=.artifacts/fuzz/out

[ -x "$tools/sharpfuzz" ] || dotnet tool install SharpFuzz.CommandLine --version 2.3.0 --tool-path "$tools"
rm -rf "$bin"
dotnet publish fuzz/CitationService.Fuzz -c Release -o "$bin"
# Instruments in place: only the published copy of Core is changed, never src/ or its build output.
"$tools/sharpfuzz" "$bin/CitationService.Core.dll"

# dotnet itself is not instrumented (AFL_SKIP_BIN_CHECK); the coverage map comes from the instrumented Core.
rm -rf "$out"
AFL_SKIP_BIN_CHECK=1 AFL_NO_AFFINITY=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_NO_UI=1 \
  nice -n 10 afl-fuzz -i fuzz/corpus -o "$out" -x fuzz/page.dict -t 1000 -m none -V "$seconds" \
  -- dotnet "$bin/CitationService.Fuzz.dll"

grep -E '^(run_time|execs_done|execs_per_sec|saved_crashes|saved_hangs|stability|bitmap_cvg)' "$out/default/fuzzer_stats"
