#!/bin/sh
# mariadb.sh — a private MariaDB instance living in one directory, for the
# quick-start script and the store tests.  No systemd, no /etc/mysql: every
# program runs with --no-defaults, listens only on DIR/run/mysqld.sock and
# keeps its data in DIR/db.
#
#   mariadb.sh start  DIR DBNAME DBUSER DBPASS   init if needed, start, ensure db+user
#   mariadb.sh stop   DIR                        shut down and wait
#   mariadb.sh status DIR                        exit 0 when running
#
# The administrative accounts keep unix_socket authentication: as root
# that is DB root; as anyone else mariadb-install-db creates an account
# named after the unix user, so only the instance's owner administers it.
set -eu

usage() {
	echo "usage: $0 start DIR DBNAME DBUSER DBPASS | stop DIR | status DIR" >&2
	exit 2
}

# Programs are called by their MariaDB names, falling back to the mysql ones.
pick() {
	for p in "$@"; do
		if command -v "$p" >/dev/null 2>&1; then
			echo "$p"
			return 0
		fi
	done
	echo "mariadb.sh: none of $* found (apt-get install mariadb-server)" >&2
	exit 1
}

ping_db() {
	"$ADMIN" --no-defaults --socket="$SOCK" -u"$DBA" ping >/dev/null 2>&1
}

sql_root() {
	"$CLIENT" --no-defaults --socket="$SOCK" -u"$DBA"
}

# Escapes a value for a single-quoted SQL string literal.
sql_quote() {
	printf '%s' "$1" | sed -e 's/\\/\\\\/g' -e "s/'/''/g"
}

# Identifiers are restricted rather than escaped.
check_ident() {
	case "$1" in
	'' | *[!A-Za-z0-9_]*)
		echo "mariadb.sh: $2 must match [A-Za-z0-9_]+: '$1'" >&2
		exit 2
		;;
	esac
}

ensure_db_user() {
	pass=$(sql_quote "$DBPASS")
	sql_root <<SQL
CREATE DATABASE IF NOT EXISTS \`$DBNAME\`
  CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
CREATE USER IF NOT EXISTS '$DBUSER'@'localhost' IDENTIFIED BY '$pass';
ALTER USER '$DBUSER'@'localhost' IDENTIFIED BY '$pass';
GRANT ALL PRIVILEGES ON \`$DBNAME\`.* TO '$DBUSER'@'localhost';
SQL
}

init_datadir() {
	mkdir -p "$DIR/db"
	if ! "$INSTALL" --no-defaults $USEROPT --datadir="$DIR/db" \
	    --skip-test-db >"$DIR/install.log" 2>&1; then
		echo "mariadb.sh: $INSTALL failed:" >&2
		tail -n 20 "$DIR/install.log" >&2
		exit 1
	fi
}

start_server() {
	"$SERVER" --no-defaults $USEROPT --datadir="$DIR/db" \
	    --socket="$SOCK" --skip-networking \
	    --character-set-server=utf8mb4 --collation-server=utf8mb4_unicode_ci \
	    --innodb-buffer-pool-size=64M \
	    --pid-file="$DIR/run/mysqld.pid" --log-error="$DIR/mysqld.err" \
	    </dev/null >/dev/null 2>&1 &
	i=0
	until ping_db; do
		i=$((i + 1))
		if [ "$i" -ge 300 ]; then
			echo "mariadb.sh: server did not answer within 30 s; log tail:" >&2
			tail -n 30 "$DIR/mysqld.err" >&2 || true
			exit 1
		fi
		sleep 0.1
	done
}

cmd_start() {
	[ $# -eq 4 ] || usage
	DBNAME=$2 DBUSER=$3 DBPASS=$4
	check_ident "$DBNAME" DBNAME
	check_ident "$DBUSER" DBUSER
	INSTALL=$(pick mariadb-install-db mysql_install_db)
	SERVER=$(pick mariadbd mysqld)
	mkdir -p "$DIR/run"
	if ! ping_db; then
		[ -d "$DIR/db/mysql" ] || init_datadir
		start_server
	fi
	ensure_db_user
}

cmd_stop() {
	[ $# -eq 1 ] || usage
	ping_db || return 0
	# shutdown blocks until the server has exited; the pid check covers
	# the short moment before the pid file disappears
	"$ADMIN" --no-defaults --socket="$SOCK" -u"$DBA" shutdown
	i=0
	while [ -f "$DIR/run/mysqld.pid" ] && [ "$i" -lt 300 ]; do
		i=$((i + 1))
		sleep 0.1
	done
}

cmd_status() {
	[ $# -eq 1 ] || usage
	if ping_db; then
		echo "running: $SOCK"
		return 0
	fi
	echo "stopped: $DIR"
	return 1
}

[ $# -ge 2 ] || usage
CMD=$1
shift
DIR=$1
case "$DIR" in
/*) ;;
*) DIR=$(pwd)/$DIR ;;
esac
SOCK=$DIR/run/mysqld.sock
if [ ${#SOCK} -gt 100 ]; then
	echo "mariadb.sh: socket path too long for a unix socket: $SOCK" >&2
	exit 2
fi
ADMIN=$(pick mariadb-admin mysqladmin)
CLIENT=$(pick mariadb mysql)
# As root mariadbd refuses to start without --user=root.
USEROPT=
[ "$(id -u)" -ne 0 ] || USEROPT=--user=root
DBA=$(id -un)

case "$CMD" in
start) cmd_start "$@" ;;
stop) cmd_stop "$@" ;;
status) cmd_status "$@" ;;
*) usage ;;
esac
