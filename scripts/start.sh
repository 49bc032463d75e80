#!/usr/bin/env bash
# `npm start` on a fresh clone: install, build the .vsix and the CLI, and show Switchyard working on
# its embedded offline catalog — no gateway, no key, no network needed.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -d node_modules ] || npm ci --no-audit --no-fund
npm run --silent package >/dev/null
VSIX=$(ls -t switchyard-*.vsix | head -1)
echo
echo "Built $VSIX ($(du -k "$VSIX" | cut -f1) KB) and the CLI (dist/server.js)."
echo
echo "The cheapest models with at least 128k context, from the embedded price table (offline):"
node dist/server.js models --offline --sort price --search "" 2>/dev/null | head -15 || true
echo
cat <<TXT
Next:
  code --install-extension $VSIX         # install into VS Code (1.91 or newer)
  npx switchyard models --search gpt-4o  # the CLI (or: node dist/server.js …)
  node dist/server.js proxy              # a local OpenAI-compatible proxy on 127.0.0.1:4141
  node dist/server.js check src/**/*.py  # model-ID problems, for CI
TXT
