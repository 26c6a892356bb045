#!/usr/bin/env bash
# Reflex 0.10 needs Node.js >= 22.22 or bun 1.4.4, and downloads bun from the internet otherwise.
# When Node.js is older, install bun from the npm registry into a project-local folder.
set -euo pipefail
cd "$(dirname "$0")/.."
BUN_VERSION=${BUN_VERSION:-1.4.4}
PREFIX=.tools/bun
BUN="$PREFIX/node_modules/.bin/bun"

node_is_recent() {
  command -v node >/dev/null 2>&1 || return 1
  node -e 'const [a, b] = process.versions.node.split(".").map(Number); process.exit(a > 22 || (a === 22 && b >= 22) ? 0 : 1)'
}

if node_is_recent; then
  echo "Node.js $(node --version) is recent enough for Reflex: no local bun needed"
  exit 0
fi
if [ "$("$BUN" --version 2>/dev/null || true)" != "$BUN_VERSION" ]; then
  if ! command -v npm >/dev/null 2>&1; then
    echo "error: Node.js >= 22.22 or npm (to install bun $BUN_VERSION) is required" >&2
    exit 1
  fi
  echo "installing bun $BUN_VERSION into $PREFIX (Node.js is $(node --version 2>/dev/null || echo absent))"
  mkdir -p "$PREFIX"
  npm install --prefix "$PREFIX" --no-audit --no-fund --loglevel=error "bun@$BUN_VERSION"
fi
version=$("$BUN" --version) || { echo "error: $BUN does not run" >&2; exit 1; }
[ "$version" = "$BUN_VERSION" ] || { echo "error: $BUN is $version, expected $BUN_VERSION" >&2; exit 1; }
echo "bun $version ready ($BUN)"
