#!/usr/bin/env bash
# End-to-end tests of the packaged extension in a real VS Code (code-server), `npm run test:e2e`:
#   setup (cached) → package the .vsix → install it into a throwaway profile → start the fake gateways →
#   Playwright UI scenarios (scenarios/index.mjs) → extension-host tests (ext-tests/) → "N passed, N failed".
# Screenshots and, on failure, the extension's logs go to test/e2e/out/ (git-ignored).
# Env: E2E_PORT (default 8765; the UI uses it, the extension-host tests E2E_PORT+1; a port in use is refused),
#      E2E_VSIX (test this .vsix instead of packaging one), E2E_ONLY (run only the scenarios whose name contains it),
#      KEEP_RUN=1 (keep the temp folder: code-server logs, workspaces, results),
#      E2E_ROUTE=vscode-1.139 (code-server 4.139.1 = VS Code 1.139 on Node 24, cached in .cache/e2e-1.139: VS Code's
#      own Chat on Switchyard — the scenario set "vscode-chat" and ext-tests/index-vscode-chat.cjs; `npm run test:e2e` runs both routes).
# To work on one part, call the runners directly (see test/e2e/README.md).
set -uo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
E2E="$ROOT/test/e2e"
OUT="${E2E_OUT:-$E2E/out}"
PORT="${E2E_PORT:-8765}"
T0=$(date +%s)
say() { echo "[$(date +%T) +$(( $(date +%s) - T0 ))s] run: $*"; }

# The route: which VS Code, which scenarios and extension-host tests, which profile.
SCENARIO_SET=default
EXT_TESTS="$E2E/ext-tests/index.cjs"
EXT_PROFILE=""
FAKES_EXTRA=()
case "${E2E_ROUTE:-}" in
  "") ;;
  vscode-1.139)
    export E2E_CACHE="${E2E_CACHE:-$ROOT/.cache/e2e-1.139}" CS_VERSION=4.139.1 NODE_VERSION=24.21.0
    SCENARIO_SET=vscode-chat
    OUT="${E2E_OUT:-$E2E/out/vscode-1.139}"
    EXT_TESTS="$E2E/ext-tests/index-vscode-chat.cjs"
    EXT_PROFILE=fakes-vscode-chat
    FAKES_EXTRA=(--stream-chunk-delay-ms 20)   # a long answer lasts long enough to be cancelled mid-stream
    ;;
  *) echo "unknown E2E_ROUTE=$E2E_ROUTE (known: vscode-1.139)" >&2; exit 2 ;;
esac

passed=0
failed=0
timings=()
stage_start=0
begin() { stage_start=$(date +%s); say "$1"; }
took() { timings+=("$1 $(( $(date +%s) - stage_start ))s"); }
broken() { failed=$((failed + 1)); echo "✗ $1"; [ -n "${2:-}" ] && [ -f "$2" ] && tail -30 "$2" | sed 's/^/    /'; }

RUN="$(mktemp -d /tmp/switchyard-e2e-XXXXXX)"
cleanup() {
  local FAKES_PGID
  FAKES_PGID="$(cat "$RUN/fakes.pid" 2>/dev/null)"
  if [ -n "$FAKES_PGID" ]; then
    kill -TERM -- "-$FAKES_PGID" 2>/dev/null
    for _ in $(seq 1 20); do kill -0 -- "-$FAKES_PGID" 2>/dev/null || break; sleep 0.25; done
    kill -KILL -- "-$FAKES_PGID" 2>/dev/null
  fi
  if [ -n "${KEEP_RUN:-}" ]; then echo "kept $RUN"; else rm -rf "$RUN"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

finish() {
  say "timings: ${timings[*]:-none}; total $(( $(date +%s) - T0 ))s"
  # What failed and why, again at the very end: a CI log is often read (or kept) from its tail only.
  for f in "$RUN/ui.json" "$RUN/ext.json"; do
    [ -f "$f" ] && node -e 'for (const x of require(process.argv[1]).failed) console.log(`✗ ${x.name}\n    ${String(x.error).split("\n").slice(0, 12).join("\n    ")}`)' "$f"
  done
  echo "$passed passed, $failed failed"
  [ "$failed" -eq 0 ]
  exit $?
}

# 1. Tools (code-server, playwright-core, chromium), cached in .cache/e2e.
begin "setup"
if ! bash "$E2E/setup.sh" > "$RUN/setup.log" 2>&1; then broken "setup (test/e2e/setup.sh)" "$RUN/setup.log"; finish; fi
tail -1 "$RUN/setup.log"
took setup
# shellcheck source=/dev/null
. "${E2E_CACHE:-$ROOT/.cache/e2e}/env.sh"
export TMPDIR="$RUN/tmp"; mkdir -p "$TMPDIR"      # code-server's --install-extension and friends write there
mkdir -p "$OUT" && rm -rf "$OUT"/*.png "$OUT"/*-logs   # this run's screenshots and logs only

# 2. The .vsix, as a user gets it.
NAME="$(node -p 'require(process.argv[1]).name' "$ROOT/package.json")"
PUBLISHER="$(node -p 'require(process.argv[1]).publisher' "$ROOT/package.json")"
VERSION="$(node -p 'require(process.argv[1]).version' "$ROOT/package.json")"
begin "package"
if [ -n "${E2E_VSIX:-}" ]; then
  VSIX="$(cd "$(dirname "$E2E_VSIX")" && pwd)/$(basename "$E2E_VSIX")"
  say "using E2E_VSIX=$VSIX (not packaged by this run)"
else
  VSIX="$ROOT/$NAME-$VERSION.vsix"
  rm -f "$VSIX"
  if node -e 'process.exit(require(process.argv[1]).scripts?.package ? 0 : 1)' "$ROOT/package.json"; then
    (cd "$ROOT" && timeout 300 npm run package) < /dev/null > "$RUN/package.log" 2>&1
  else
    (cd "$ROOT" && npm run build && timeout 300 npx vsce package --no-dependencies --out "$VSIX") < /dev/null > "$RUN/package.log" 2>&1
  fi
  if [ ! -f "$VSIX" ]; then broken "package the extension (npm run package → $NAME-$VERSION.vsix)" "$RUN/package.log"; finish; fi
fi
took package

# 3. Install it into a throwaway extensions folder; that folder is also the unpacked extension for step 6.
begin "install $(basename "$VSIX")"
EXT_DIR="$RUN/extensions"
if ! XDG_CONFIG_HOME="$RUN/xdg" XDG_DATA_HOME="$RUN/xdg" "$CODE_SERVER" --config "$RUN/install-config.yaml" \
    --user-data-dir "$RUN/install-user-data" --extensions-dir "$EXT_DIR" --install-extension "$VSIX" \
    > "$RUN/install.log" 2>&1 || [ ! -f "$EXT_DIR/$PUBLISHER.$NAME-$VERSION/package.json" ]; then
  broken "install the .vsix into code-server" "$RUN/install.log"; finish
fi
took install

# 4. The fake gateways (test/fakes/serve.ts prints one JSON line { "<kind>": { baseUrl, key }, … } when all listen).
FAKES_ARGS=()
if [ -f "$ROOT/test/fakes/serve.ts" ]; then
  begin "fake gateways"
  TSX="$ROOT/node_modules/.bin/tsx"; [ -x "$TSX" ] || TSX="npx tsx"
  # setsid: own process group (pid = pgid, written by the shell before exec), killed as a whole on exit.
  setsid bash -c 'echo $$ > "$1"; shift; exec "$@"' _ "$RUN/fakes.pid" $TSX "$ROOT/test/fakes/serve.ts" "${FAKES_EXTRA[@]}" \
    > "$RUN/fakes.out" 2> "$RUN/fakes.log" < /dev/null &
  if node "$E2E/lib/wait-fakes.mjs" "$RUN/fakes.out" "$RUN/fakes.pid" "$RUN/fakes.json" 2>> "$RUN/fakes.log"; then
    FAKES_ARGS=(--fakes "$RUN/fakes.json")
    say "fake gateways: $(node -p 'Object.entries(require(process.argv[1])).map(([k, v]) => k + " " + v.baseUrl).join(", ")' "$RUN/fakes.json")"
  else
    broken "start the fake gateways (test/fakes/serve.ts)" "$RUN/fakes.log"
  fi
  took fakes
else
  say "test/fakes/serve.ts does not exist yet: scenarios that need the fakes fail with that reason"
fi

count() { # add a runner's results file to the totals; a missing file, or a stage cut by its timeout, is a failure
  if [ -f "$2" ]; then
    passed=$((passed + $(node -p 'require(process.argv[1]).passed.length' "$2")))
    failed=$((failed + $(node -p 'require(process.argv[1]).failed.length' "$2")))
  else
    broken "$1 (no results: the runner crashed)"
  fi
  if [ "$3" -eq 124 ] || [ "$3" -eq 137 ]; then broken "$1 (stopped by the stage timeout of $4 s)"; fi
}

# 5. UI scenarios against the installed .vsix.
begin "UI scenarios"
# The stage timeouts keep a whole run under 10 minutes on a 2-core machine; each scenario also has its own.
timeout --kill-after=15 450 node "$E2E/run-scenarios.mjs" --extensions-dir "$EXT_DIR" --run-dir "$RUN/ui" \
  --out "$OUT" --port "$PORT" --results "$RUN/ui.json" --set "$SCENARIO_SET" ${E2E_ONLY:+--only "$E2E_ONLY"} "${FAKES_ARGS[@]}"
count "UI scenarios" "$RUN/ui.json" $? 450
took ui

# 6. Extension-host tests, with the unpacked .vsix as extensionDevelopmentPath (tests what ships).
begin "extension-host tests"
timeout --kill-after=15 300 node "$E2E/run-ext-tests.mjs" --dev-path "$EXT_DIR/$PUBLISHER.$NAME-$VERSION" \
  --run-dir "$RUN/ext" --out "$OUT" --port "$((PORT + 1))" --results "$RUN/ext.json" "${FAKES_ARGS[@]}" \
  --tests "$EXT_TESTS" ${EXT_PROFILE:+--profile "$EXT_PROFILE"}
count "extension-host tests" "$RUN/ext.json" $? 300
took ext-tests

say "screenshots: $(cd "$OUT" && ls ./*.png 2>/dev/null | tr '\n' ' ')"
finish
