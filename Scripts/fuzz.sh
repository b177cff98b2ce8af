#!/usr/bin/env bash
# Builds the libFuzzer harnesses of Fuzz/ (with AddressSanitizer) and runs each for SECONDS (default 60).
#   Scripts/fuzz.sh [SECONDS] [HARNESS...]     e.g. Scripts/fuzz.sh 600 png npz
# Harnesses: png jpeg npy npz config-json config-yaml datasample draw-ops tensorboard wandb runlog font.
# Each starts from its seed corpus (Fuzz/Corpus/<h>), its regression inputs (Fuzz/Regressions/<h>) and what earlier
# runs found (.build-fuzz/corpus/<h>), with the dictionary Fuzz/Dictionaries/<h>.dict. A crash, hang (over 10 s for
# one input) or allocation over 2 GB stops that harness and leaves the input in .build-fuzz/findings/<h>/ (copy it
# to Fuzz/Regressions/<h>/ with the fix). Prints one line per harness (executions, coverage) and exits 1 when any
# harness found something.
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=${1:-60}
shift || true
all=(png jpeg npy npz config-json config-yaml datasample draw-ops tensorboard wandb runlog font)
if [ $# -gt 0 ]; then harnesses=("$@"); else harnesses=("${all[@]}"); fi

scratch=.build-fuzz
# One product at a time: building everything would also link the dependencies' tools with the fuzzer runtime.
for h in "${harnesses[@]}"; do
  swift build --package-path Fuzz -c debug -Xswiftc -sanitize=fuzzer,address --scratch-path "$scratch" \
    --product "fuzz-$h" 2>&1 | grep -v -e "Cannot export local symbol" -e "^\[" || true
done
bin="$scratch/debug"

failed=()
for h in "${harnesses[@]}"; do
  [ -x "$bin/fuzz-$h" ] || { echo "fuzz-$h was not built" >&2; exit 1; }
  corpus="$scratch/corpus/$h"
  findings="$scratch/findings/$h/"
  log="$scratch/logs/$h.log"
  mkdir -p "$corpus" "$findings" "$(dirname "$log")" "Fuzz/Regressions/$h"
  status=0
  ASAN_OPTIONS=detect_leaks=0 "$bin/fuzz-$h" "$corpus" "Fuzz/Corpus/$h" "Fuzz/Regressions/$h" \
    -dict="Fuzz/Dictionaries/$h.dict" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2560 \
    -malloc_limit_mb=2048 -max_len=65536 -artifact_prefix="$findings" -print_final_stats=1 >"$log" 2>&1 || status=$?
  runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo '?')
  cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1 | grep -o '[0-9]*' || echo '?')
  if [ "$status" -ne 0 ]; then
    failed+=("$h")
    echo "fuzz-$h: FOUND A PROBLEM after $runs executions (log $log, input in $findings)"
    grep -m1 -E 'ERROR: (libFuzzer|AddressSanitizer)|Fatal error|SUMMARY' "$log" || true
  else
    echo "fuzz-$h: $runs executions in ${seconds}s, cov $cov, nothing found"
  fi
done
if [ ${#failed[@]} -gt 0 ]; then
  echo "fuzzing found problems in: ${failed[*]}" >&2
  exit 1
fi
