#!/usr/bin/env bash
# Builds the DocC documentation of every library module and fails on any DocC warning (an unresolved symbol
# link, a missing article, a malformed directive).
#   Scripts/docs.sh [output directory]        (default: .build/docs; one <Module>.doccarchive per module)
# Symbol graphs come from `swift package dump-symbol-graph` (the debug build), so no plugin dependency is needed.
# DOCC overrides the docc binary (default: `docc` on PATH, else the one next to `swift`).
set -euo pipefail
cd "$(dirname "$0")/.."

modules=(VisCore VisDraw VisBackends Visualization VisPlot VisTools VisEmbedding)
output="${1:-.build/docs}"

docc="${DOCC:-}"
if [ -z "$docc" ]; then
  if command -v docc >/dev/null; then
    docc="$(command -v docc)"
  else
    docc="$(dirname "$(readlink -f "$(command -v swift)")")/docc"
  fi
fi
[ -x "$docc" ] || { echo "docs.sh: docc not found (set DOCC)" >&2; exit 1; }

# dump-symbol-graph prints the folder it wrote; the graphs of all modules land in it together.
log="$(mktemp)"
trap 'rm -rf "$log" "${graphs:-}"' EXIT
rm -rf .build/*/symbolgraph  # no stale graphs of symbols since removed
swift package dump-symbol-graph --minimum-access-level public --skip-synthesized-members >"$log" 2>&1 || {
  cat "$log" >&2
  echo "docs.sh: swift package dump-symbol-graph failed" >&2
  exit 1
}
all="$(sed -n 's/^.*Files written to \(.*\)$/\1/p' "$log" | tail -1)"
# Older or newer SwiftPM may word it differently; the folder is .build/<triple>/symbolgraph either way.
[ -d "$all" ] || all="$(find .build -maxdepth 3 -type d -name symbolgraph 2>/dev/null | head -1)"
[ -d "$all" ] || { cat "$log" >&2; echo "docs.sh: no symbol graph folder in the output above" >&2; exit 1; }

graphs="$(mktemp -d)"
mkdir -p "$output"
status=0
for module in "${modules[@]}"; do
  # One folder per module: its own graph and its extensions of other modules (Module@Other.symbols.json).
  mkdir -p "$graphs/$module"
  cp "$all/$module.symbols.json" "$graphs/$module/"
  find "$all" -maxdepth 1 -name "$module@*.symbols.json" -exec cp {} "$graphs/$module/" \;
  echo "docs.sh: $module"
  if ! "$docc" convert "Sources/$module/$module.docc" \
    --additional-symbol-graph-dir "$graphs/$module" \
    --fallback-display-name "$module" \
    --fallback-bundle-identifier "org.swift-visualization.$module" \
    --output-path "$output/$module.doccarchive" \
    --warnings-as-errors; then
    echo "docs.sh: DocC reported problems in $module (above)" >&2
    status=1
  fi
done
[ "$status" = 0 ] && echo "docs.sh: documentation of ${modules[*]} built without warnings in $output"
exit "$status"
