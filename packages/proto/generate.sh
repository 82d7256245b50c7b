#!/usr/bin/env bash
# Regenerates everything in this package from ../../proto: ts-proto and protoc-gen-es code, and the
# descriptor set the gateway and the kit's reflection read. Runs offline (buf bundles its compiler).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
buf="$here/../../node_modules/.bin/buf"
cd "$here/../../proto"
"$buf" generate
"$buf" build -o "$here/descriptors.binpb"
