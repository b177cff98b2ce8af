#!/usr/bin/env bash
# Creates .venv-bench, the throwaway venv with the Python libraries vis-bench compares against.
#   Scripts/bench-venv.sh && swift run -c release vis-bench
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -m venv .venv-bench
.venv-bench/bin/pip install -q --disable-pip-version-check -r Scripts/bench/requirements-bench.txt
