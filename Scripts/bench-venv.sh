#!/usr/bin/env bash
# Creates .venv-bench, the throwaway venv with the Python libraries vis-bench compares against.
#   Scripts/bench-venv.sh && swift run -c release vis-bench
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -m venv .venv-bench
# MMEngine's visualizer imports torch: the CPU wheel kept on the machine when there is one (the same as
# Scripts/test.sh uses), so that pip does not fetch the much larger CUDA build for the `torch` requirement.
torch_wheel=/opt/wheels/torch-2.13.0+cpu-cp311-cp311-manylinux_2_28_x86_64.whl
if [ -f "$torch_wheel" ]; then
  .venv-bench/bin/pip install -q --disable-pip-version-check "$torch_wheel"
fi
.venv-bench/bin/pip install -q --disable-pip-version-check -r Scripts/bench/requirements-bench.txt
