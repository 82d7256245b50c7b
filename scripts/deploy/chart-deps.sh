#!/usr/bin/env bash
# Fills every chart's charts/ folder from its file:// dependencies, in order: the library into each
# thin chart, then the thin charts into the umbrella. Offline (file:// repositories only).
# Usage: scripts/deploy/chart-deps.sh [helm-dir]   (HELM: the helm binary, default .tools/bin/helm)
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
helm_dir="$(cd "${1:-$root/helm}" && pwd)"
HELM="${HELM:-$root/.tools/bin/helm}"
[ -x "$HELM" ] || { echo "helm not found at $HELM: run scripts/tools/install-tools.sh" >&2; exit 1; }
for chart in "$helm_dir"/*/; do
  chart="${chart%/}"
  name="$(basename "$chart")"
  [ "$name" = velaflows-lib ] || [ "$name" = velaflows ] && continue
  [ -f "$chart/Chart.yaml" ] || continue
  rm -rf "$chart/charts" "$chart/Chart.lock"
  "$HELM" dependency update --skip-refresh "$chart" >/dev/null
done
rm -rf "$helm_dir/velaflows/charts" "$helm_dir/velaflows/Chart.lock"
"$HELM" dependency update --skip-refresh "$helm_dir/velaflows" >/dev/null
echo "chart dependencies built in $helm_dir"
