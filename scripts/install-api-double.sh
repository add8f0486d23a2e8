#!/usr/bin/env bash
# HashiCorp's published Consul API double (npm @hashicorp/consul-api-double, served by
# @hashicorp/api-double) under tools/npm: the tests of the Consul >= 1.9 intentions path take
# their response shapes from it, because no Consul >= 1.9 can be installed here.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
prefix="$root/tools/npm"
marker="$prefix/node_modules/@hashicorp/consul-api-double/package.json"
[ -f "$marker" ] && [ -f "$prefix/node_modules/@hashicorp/api-double/bin/index.js" ] && exit 0
if ! command -v npm >/dev/null || ! command -v node >/dev/null; then
  echo "api double: node/npm not found; the Consul >= 1.9 shape tests will be skipped (install nodejs and npm)" >&2
  exit 0
fi
mkdir -p "$prefix"
echo "api double: installing @hashicorp/consul-api-double@6.1.5 and @hashicorp/api-double@1.6.1 into tools/npm"
npm install --prefix "$prefix" --no-audit --no-fund --silent --no-save \
  @hashicorp/consul-api-double@6.1.5 @hashicorp/api-double@1.6.1 >/dev/null
