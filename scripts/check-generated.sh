#!/usr/bin/env bash
# Fails when the committed generated code differs from a fresh generation of proto/.
set -euo pipefail
cd "$(dirname "$0")/.."
npm run --silent gen
if ! git diff --quiet --exit-code -- packages/proto || [ -n "$(git ls-files --others --exclude-standard packages/proto)" ]; then
  echo "Generated code is stale: run 'npm run gen' and commit packages/proto." >&2
  git status --short -- packages/proto >&2
  exit 1
fi
echo "generated code is up to date"
