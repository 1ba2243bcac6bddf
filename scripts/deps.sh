#!/usr/bin/env bash
# deps.sh — installs every Debian 12 package that building authio, the
# quick start (scripts/up.sh) and the tests (scripts/test.sh) need.
#
#   scripts/deps.sh
#
# When everything is installed already it touches nothing and needs no
# root (the fast path: one dpkg-query).  Otherwise it re-runs itself with
# sudo, installs the missing packages without starting their system
# services (our stack uses a private MariaDB and its own nginx/Apache on
# other ports, and the system nginx and Apache would both want :80), and
# prints one summary line.  apt's output is shown only when it fails.
set -euo pipefail

PACKAGES=(
	build-essential autoconf automake pkg-config
	libfcgi-bin libjson-c-dev libmariadb-dev clearsilver-dev
	libcunit1-dev libssl-dev zlib1g-dev
	mariadb-server mariadb-client nginx apache2 spawn-fcgi
	curl ca-certificates openssl procps
	python3 python3-jwcrypto valgrind wrk
)

missing=()
while read -r pkg status; do
	[ "$status" = installed ] || missing+=("$pkg")
done < <(
	for p in "${PACKAGES[@]}"; do
		s=$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null) || s=absent
		printf '%s %s\n' "$p" "${s:-absent}"
	done
)

if [ ${#missing[@]} -eq 0 ]; then
	echo "deps: all ${#PACKAGES[@]} packages present"
	exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
	command -v sudo >/dev/null 2>&1 ||
		{ echo "deps.sh: missing ${missing[*]}; run as root (no sudo found)" >&2; exit 1; }
	exec sudo -- bash "$0" "$@"
fi

export DEBIAN_FRONTEND=noninteractive
log=$(mktemp /tmp/authio-deps.XXXXXX)
policy=/usr/sbin/policy-rc.d
created_policy=0
cleanup() {
	[ "$created_policy" = 0 ] || rm -f "$policy"
	rm -f "$log"
}
trap cleanup EXIT
# Keep dpkg from starting mariadb, nginx and apache2 as system services
# (exit 101 = "action forbidden" for invoke-rc.d and deb-systemd-invoke).
if [ ! -e "$policy" ]; then
	printf '#!/bin/sh\nexit 101\n' >"$policy"
	chmod 755 "$policy"
	created_policy=1
fi

apt() { apt-get -o DPkg::Lock::Timeout=600 -qq "$@" >>"$log" 2>&1; }
if ! apt update || ! apt install -y --no-install-recommends "${missing[@]}"; then
	cat "$log" >&2
	echo "deps.sh: apt-get failed installing: ${missing[*]}" >&2
	exit 1
fi
echo "deps: installed ${#missing[@]} package(s): ${missing[*]}"
