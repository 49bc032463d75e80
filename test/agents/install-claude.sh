#!/usr/bin/env bash
# Installs Claude Code (@anthropic-ai/claude-code, pinned) for test/agents/claude.test.ts into a
# git-ignored cache: <repo>/.cache/agents/claude-<version>, with its own package.json so the project's
# package-lock.json is never touched. Its native binary comes in an optional dependency package from
# the npm registry (no other download). Idempotent: a complete install makes it a no-op.
# Same layout and lock as the other agents' installs (one folder per agent and version, `.installed`
# written last). Env: AGENTS_CACHE (default <repo>/.cache/agents), CLAUDE_CODE_VERSION.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
CACHE="${AGENTS_CACHE:-$ROOT/.cache/agents}"
VERSION="${CLAUDE_CODE_VERSION:-2.1.332}"
mkdir -p "$CACHE"
CACHE="$(cd "$CACHE" && pwd)"
# Two runs at once (two worktrees sharing the cache, a CI retry) would fight over node_modules.
exec 9>"$CACHE/.setup.lock"
flock 9

dir="$CACHE/claude-$VERSION"
bin="$dir/node_modules/.bin/claude"
if [ -f "$dir/.installed" ] && [ -x "$bin" ]; then
  echo "setup: claude $VERSION ready ($dir)"
  exit 0
fi
echo "setup: installing @anthropic-ai/claude-code@$VERSION into $dir"
rm -rf "$dir"; mkdir -p "$dir"
printf '{"name":"switchyard-agent-claude","private":true,"dependencies":{"@anthropic-ai/claude-code":"%s"}}\n' "$VERSION" > "$dir/package.json"
if ! (cd "$dir" && npm install --no-audit --no-fund --no-update-notifier > install.log 2>&1); then
  tail -30 "$dir/install.log"
  echo "setup: installing @anthropic-ai/claude-code@$VERSION failed, see $dir/install.log" >&2
  exit 1
fi
# Nothing that phones home: --version only prints.
DISABLE_AUTOUPDATER=1 "$bin" --version
touch "$dir/.installed"
echo "setup: claude $VERSION installed ($(du -sh "$dir/node_modules" | cut -f1))"
