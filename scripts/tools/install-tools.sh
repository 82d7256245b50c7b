#!/usr/bin/env bash
# Builds the deployment tools from source with `go install` (Go module proxy) into .tools/bin
# (git-ignored) and reuses them while their recorded module version matches the pin:
#   helm       helm.sh/helm/v3/cmd/helm                 (helm lint, helm template, chart deps)
#   kustomize  sigs.k8s.io/kustomize/kustomize/v5       (builds the k8s/ overlays, with --enable-helm)
# Neither is on npm or in Debian. The first build takes a few minutes; later runs take a second.
# A copy of each build is also kept in ${VELAFLOWS_TOOLS_CACHE:-~/.cache/velaflows-tools}, so a fresh
# clone on the same machine (CI) copies it instead of building again.
# Usage: bash scripts/tools/install-tools.sh [helm|kustomize]...   (all when none is named)
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
bin="$root/.tools/bin"
cache="${VELAFLOWS_TOOLS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/velaflows-tools}"
mkdir -p "$bin"

HELM_MODULE=helm.sh/helm/v3
HELM_VERSION=v3.22.0
KUSTOMIZE_MODULE=sigs.k8s.io/kustomize/kustomize/v5
KUSTOMIZE_VERSION=v5.8.1   # v5.8.3 needs Go 1.27

# installed <binary> <module> <version>: true when the binary exists and was built from that module version.
installed() {
  [ -x "$bin/$1" ] && go version -m "$bin/$1" 2>/dev/null | awk -v m="$2" -v v="$3" '$1 == "mod" && $2 == m && $3 == v { found = 1 } END { exit !found }'
}

build() { # build <binary> <module> <package> <version>
  local name=$1 module=$2 package=$3 version=$4
  if installed "$name" "$module" "$version"; then
    echo "== $name $version (cached in .tools/bin)"
    return
  fi
  local cached="$cache/$name-$version"
  if [ -x "$cached" ]; then
    cp "$cached" "$bin/$name.tmp" && mv "$bin/$name.tmp" "$bin/$name"
    if installed "$name" "$module" "$version"; then
      echo "== $name $version (copied from $cache)"
      return
    fi
  fi
  command -v go >/dev/null 2>&1 || { echo "go is required to build $name" >&2; exit 1; }
  echo "== go install $package@$version"
  local started=$SECONDS
  GOBIN="$bin" GOFLAGS="${GOFLAGS:-} -trimpath" CGO_ENABLED=0 go install "$package@$version"
  installed "$name" "$module" "$version" || { echo "$name built, but not from $module $version" >&2; exit 1; }
  echo "   built $name in $((SECONDS - started)) s"
  if mkdir -p "$cache" 2>/dev/null; then cp "$bin/$name" "$cached.tmp" && mv "$cached.tmp" "$cached" || true; fi
}

targets=("$@")
[ ${#targets[@]} -eq 0 ] && targets=(helm kustomize)
for target in "${targets[@]}"; do
  case "$target" in
    helm) build helm "$HELM_MODULE" "$HELM_MODULE/cmd/helm" "$HELM_VERSION" ;;
    kustomize) build kustomize "$KUSTOMIZE_MODULE" "$KUSTOMIZE_MODULE" "$KUSTOMIZE_VERSION" ;;
    *) echo "unknown tool: $target (helm, kustomize)" >&2; exit 2 ;;
  esac
done
