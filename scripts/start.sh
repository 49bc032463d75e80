#!/usr/bin/env bash
# `npm start` on a fresh clone: install, build the .vsix and the CLI, and show Switchyard working on
# its embedded offline catalog — no gateway, no key, no network needed.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -d node_modules ] || npm ci --no-audit --no-fund
# The build's own progress is shown only if it fails.
if ! build_log=$(npm run --silent package 2>&1); then
  echo "$build_log" >&2
  exit 1
fi
VSIX=$(ls -t switchyard-*.vsix | head -1)
echo
echo "Built $VSIX ($(du -k "$VSIX" | cut -f1) KB) and the CLI (dist/server.js)."
echo
echo "Every GPT-4o model the embedded price table knows, cheapest first (offline; * = price from the table):"
node dist/server.js models --offline --search gpt-4o --sort price 2>/dev/null | head -12 || true
echo
echo "Next:"
printf '  %-52s # %s\n' \
  "code --install-extension $VSIX" "install into VS Code (1.91 or newer)" \
  "node dist/server.js models --config switchyard.json" "the CLI: your gateways' models (see README)" \
  "node dist/server.js proxy" "a local OpenAI-compatible proxy on 127.0.0.1:4141" \
  "node dist/server.js check src" "model-ID problems in your code, for CI"
