#!/usr/bin/env bash
# Runs every test of swift-visualization on a fresh machine: installs what the tests need (system packages
# when missing, a Python venv for the interop readers), then `swift test`.
#   Scripts/test.sh [extra swift test arguments]
set -euo pipefail
cd "$(dirname "$0")/.."

# System packages: the C libraries we link, pngcheck (an independent PNG checker), a CJK font for text tests, rsvg-convert (renders the plots' SVG).
need=()
for pkg in libpng-dev libjpeg62-turbo-dev zlib1g-dev libdeflate-dev libfreetype-dev libfontconfig-dev pngcheck fonts-wqy-microhei fonts-dejavu-core librsvg2-bin; do
  dpkg -s "$pkg" >/dev/null 2>&1 || need+=("$pkg")
done
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "installing: ${need[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
  else
    echo "missing system packages: ${need[*]} (install them with apt-get)" >&2
    exit 1
  fi
fi

# The interop venv: Python readers we did not write check what we write.
venv=.venv-ci
requirements=Scripts/requirements-ci.txt
stamp="$venv/.requirements"
if [ ! -x "$venv/bin/python" ] || ! cmp -s "$requirements" "$stamp"; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q --disable-pip-version-check -r "$requirements"
  cp "$requirements" "$stamp"
fi
# PyTorch's SummaryWriter (curve interop tests): the CPU wheel kept on the machine, never the CUDA build.
torch_wheel=/opt/wheels/torch-2.13.0+cpu-cp311-cp311-manylinux_2_28_x86_64.whl
if ! "$venv/bin/python" -c "import torch.utils.tensorboard" >/dev/null 2>&1; then
  if [ -f "$torch_wheel" ]; then
    "$venv/bin/pip" install -q --disable-pip-version-check "$torch_wheel"
  elif [ "${CI:-}" = true ]; then
    echo "missing $torch_wheel: the PyTorch CPU wheel the curve interop tests write TensorBoard runs with" >&2
    exit 1
  else
    echo "warning: $torch_wheel not found; the PyTorch interop test will fail" >&2
  fi
fi
export VIS_PYTHON="$PWD/$venv/bin/python"
# VisEmbedding's tests run t-SNE on real data sets against scikit-learn: build that module optimised even in debug
# (Package.swift adds the flag only when asked, so that users can depend on the package by version).
export VIS_OPTIMIZE_NUMERICS_IN_DEBUG=1

swift build --build-tests
swift test --skip-build "$@"

# The feature-map tests again on the portable Swift twins of the vector kernels (what CPUs without AVX2+FMA run).
if [ $# -eq 0 ]; then
  VIS_PORTABLE_KERNELS=1 swift test --skip-build \
    --filter 'VectorKernelTests|HeatmapPaintingTests|Featmap|Resize|Colormap'
fi

# Documentation: DocC builds for every library module with no warnings (unresolved links fail the run).
if [ $# -eq 0 ]; then
  Scripts/docs.sh
fi

# --- Reliability: sanitizers and fuzzers, each in its own build folder (VIS_RELIABILITY=1). ----------------------
# Thread Sanitizer over the concurrency tests (threads logging into one visualizer and into each backend, drawing
# and text from many tasks, the background writer, shared visualizer instances, the JPEG encoder's helper thread and
# the two-thread JPEG decode); Address Sanitizer over the codec,
# array-file and drawing tests; then every fuzz harness for a short budget (VIS_FUZZ_SECONDS, 20 s each) so they
# keep compiling and shallow regressions are caught. Three more builds, so it runs only when VIS_RELIABILITY=1 is
# set; .ci/run sets it (with 15 s per harness).
if [ $# -eq 0 ] && [ "${VIS_RELIABILITY:-}" = 1 ]; then
  swift test --sanitize=thread --scratch-path .build-tsan --filter \
    'VisualizerConcurrencyTests|TensorboardWriterTests/concurrency|WandbRunTests/concurrentLogging|TextRenderingTests/concurrency|VisualizerDrawingTests/concurrentDrawing|VisualizerInstancesTests|BackgroundWriterTests|ReliabilityConcurrencyTests|CodecJPEGTests/(ownTransform|twoThread)'
  # Leak checking is off: XCTest's runner and fontconfig keep process-lifetime allocations that LeakSanitizer
  # reports at exit; memory errors are still caught.
  ASAN_OPTIONS=detect_leaks=0 swift test --sanitize=address --scratch-path .build-asan --filter \
    'VisCoreTests|VisDrawTests|FuzzRegressionTests'
  Scripts/fuzz.sh "${VIS_FUZZ_SECONDS:-20}"
fi
