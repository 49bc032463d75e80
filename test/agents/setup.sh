#!/usr/bin/env bash
# Installs the terminal coding agents the agent tests drive (test/agents/agents.json: name → npm package,
# pinned version, binary) into a git-ignored cache, one folder per agent and version, each with its own
# package.json so the project's package-lock.json is never touched. The native binaries come in the
# packages' optional dependencies from the npm registry: no other download. Idempotent; a complete
# cache makes it a no-op. Env: AGENTS_CACHE (default <repo>/.cache/agents), AGENTS (names to install,
# default all).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
CACHE="${AGENTS_CACHE:-$ROOT/.cache/agents}"
mkdir -p "$CACHE"
CACHE="$(cd "$CACHE" && pwd)"
# Two runs at once (two worktrees sharing the cache, a CI retry) would fight over node_modules.
exec 9>"$CACHE/.setup.lock"
flock 9

SPEC="$ROOT/test/agents/agents.json"
names="${AGENTS:-$(node -p 'Object.keys(require(process.argv[1])).join(" ")' "$SPEC")}"
for name in $names; do
  read -r pkg version bin < <(node -e 'const a=require(process.argv[1])[process.argv[2]]; if(!a){process.exit(2)} console.log(a.package, a.version, a.bin)' "$SPEC" "$name") \
    || { echo "setup: no agent \"$name\" in $SPEC" >&2; exit 2; }
  dir="$CACHE/$name-$version"
  mark="$dir/.installed"   # written only after a complete install
  if [ -f "$mark" ] && [ -x "$dir/node_modules/.bin/$bin" ]; then
    echo "setup: $name $version ready ($dir)"
    continue
  fi
  echo "setup: installing $pkg@$version into $dir"
  rm -rf "$dir"; mkdir -p "$dir"
  printf '{"name":"switchyard-agent-%s","private":true,"dependencies":{"%s":"%s"}}\n' "$name" "$pkg" "$version" > "$dir/package.json"
  if ! (cd "$dir" && npm install --no-audit --no-fund --no-update-notifier > install.log 2>&1); then
    tail -30 "$dir/install.log"
    echo "setup: installing $pkg@$version failed, see $dir/install.log" >&2
    exit 1
  fi
  "$dir/node_modules/.bin/$bin" --version
  touch "$mark"
  echo "setup: $name $version installed ($(du -sh "$dir/node_modules" | cut -f1))"
done
