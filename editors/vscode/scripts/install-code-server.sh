#!/usr/bin/env bash
# Installs code-server (VS Code in a browser) for the real-VS-Code test
# (test/real-vscode.mjs, run by tests/editors/vscode_real.rs), from the npm
# registry alone, into a cache folder that later runs reuse.
#
# Usage: scripts/install-code-server.sh [DIR]
#   DIR defaults to $PLANMARK_CODE_SERVER_DIR, else
#   ~/.cache/planmark-tests/code-server-<version>. The binary ends up at
#   DIR/node_modules/.bin/code-server.
#
# Needs Node 20 and, for the native modules, Debian's
#   libkrb5-dev libx11-dev libxkbfile-dev libsecret-1-dev pkg-config ripgrep
# (plus a C++ compiler and python3 for node-gyp).
#
# code-server's own postinstall cannot run offline: @vscode/ripgrep fetches
# rg from GitHub and node-gyp fetches Node's headers. So the packages are
# installed without scripts, Debian's rg is put where @vscode/ripgrep looks
# for it, the native modules are rebuilt against the system's Node headers,
# and the remaining steps of code-server's postinstall.sh are done here.
set -euo pipefail

VERSION=4.100.3
DIR=${1:-${PLANMARK_CODE_SERVER_DIR:-$HOME/.cache/planmark-tests/code-server-$VERSION}}
STAMP="$DIR/.installed-$VERSION"

if [ -f "$STAMP" ] && [ -x "$DIR/node_modules/.bin/code-server" ]; then
  echo "code-server $VERSION is already installed in $DIR"
  exit 0
fi

for tool in node npm rg pkg-config; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "install-code-server.sh: $tool is missing (apt-get install -y nodejs npm ripgrep pkg-config libkrb5-dev libx11-dev libxkbfile-dev libsecret-1-dev)" >&2
    exit 1
  fi
done

# A half-finished earlier attempt is thrown away rather than patched.
rm -rf "$DIR"
mkdir -p "$DIR"
cd "$DIR"
echo '{ "name": "planmark-code-server", "private": true }' > package.json

# node-gyp must build against the system's Node headers, not download them;
# npx (run by node-pty's build) must not ask questions.
export npm_config_nodedir=/usr
export npm_config_yes=true
export npm_config_audit=false
export npm_config_fund=false
export npm_config_update_notifier=false

started=$(date +%s)
npm install --ignore-scripts "code-server@$VERSION"
# code-server's own native module (password hashing; loaded even with --auth none).
npm rebuild argon2

vscode="$DIR/node_modules/code-server/lib/vscode"
cd "$vscode"
npm install --omit=dev --ignore-scripts
# @vscode/ripgrep's postinstall downloads nothing when bin/rg is already there.
mkdir -p node_modules/@vscode/ripgrep/bin
cp "$(command -v rg)" node_modules/@vscode/ripgrep/bin/rg
# Builds the native modules VS Code's server loads (node-pty, spdlog,
# kerberos, watchers, ...), now that their scripts may run.
npm rebuild

# The rest of code-server's postinstall.sh: the paths its launcher expects.
ln -sfn node_modules node_modules.asar
(cd bin/remote-cli && ln -sfn code-linux.sh code-server)
(cd bin/helpers && ln -sfn browser-linux.sh browser.sh)
(cd extensions && npm install --omit=dev)

cd "$DIR"
scratch_home=$(mktemp -d)
HOME="$scratch_home" node_modules/.bin/code-server --version
rm -rf "$scratch_home"
touch "$STAMP"
echo "code-server $VERSION installed in $DIR in $(($(date +%s) - started)) s ($(du -sh "$DIR" | cut -f1))"
