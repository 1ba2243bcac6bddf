#!/usr/bin/env bash
# down.sh — stops what scripts/up.sh started: nginx, Apache, authiod (after
# it has drained), MariaDB.  The data in var/ is kept for the next up.sh.
#
#   sudo scripts/down.sh           stop, keep var/
#   sudo scripts/down.sh --purge   stop and delete var/ (database, keys,
#                                  build, logs)
#
# AU_VAR_DIR selects another state directory, as for up.sh.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

purge=0
case ${1:-} in
'') ;;
--purge) purge=1 ;;
*)
	echo "usage: $0 [--purge]" >&2
	exit 2
	;;
esac

VAR=$(au_var_dir)
case $VAR in
/ | /tmp | "$AU_SRC" | "${HOME:-/}") au_die "refusing to use $VAR as the state directory" ;;
esac
if [ -d "$VAR" ]; then
	au_stop "$VAR/nginx/nginx.pid" nginx 10
	au_stop "$VAR/apache/apache2.pid" apache2 10
	# authiod drains its workers on SIGTERM (at most 30 s).
	au_stop "$VAR/run/authiod.pid" authiod 40
	if [ -d "$VAR/mariadb" ]; then
		bash "$AU_SRC/scripts/mariadb.sh" stop "$VAR/mariadb"
	fi
	au_say "stopped (state kept in $VAR)"
else
	au_say "nothing to stop: $VAR does not exist"
fi
if [ "$purge" = 1 ]; then
	rm -rf "$VAR"
	au_say "deleted $VAR"
fi
