# lib.sh — helpers shared by up.sh, down.sh and test.sh.  Sourced by them
# (bash), never run on its own.
#
# The state directory of a running stack (AU_VAR) has this layout, which
# up.sh creates, down.sh tears down and test.sh inspects:
#   build/            out-of-tree build (authiod, authioctl, tests)
#   mariadb/          private MariaDB (scripts/mariadb.sh): run/mysqld.sock
#   run/              authiod.sock, authiod.pid
#   nginx/ apache/    generated web server configs, pid files, cache, temp
#   log/              authiod.log, nginx-*.log, apache-*.log, build.log
#   authio.conf       generated each run from the settings below
#   db-password  master.key  admin-cli.json     secrets, mode 0600

AU_SRC=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
AU_PROG=$(basename "$0" .sh)

au_say() { printf '%s: %s\n' "$AU_PROG" "$*"; }
au_die() {
	printf '%s: %s\n' "$AU_PROG" "$*" >&2
	exit 1
}

# The state directory as an absolute path: $AU_VAR_DIR, or var/ in the
# checkout.
au_var_dir() {
	local d=${AU_VAR_DIR:-$AU_SRC/var}
	case $d in
	/*) ;;
	*) d=$PWD/$d ;;
	esac
	printf '%s\n' "${d%/}"
}

# True while process PID exists and is not a zombie.
au_alive() {
	local state
	state=$(awk '{ print $3 }' "/proc/$1/stat" 2>/dev/null) || return 1
	[ -n "$state" ] && [ "$state" != Z ]
}

# Prints the pid written in FILE when that process is alive and its
# command name is NAME (so a stale file whose pid was reused by some other
# program never gets that program signalled).
au_pid() {
	local file=$1 name=$2 pid comm
	[ -r "$file" ] || return 1
	read -r pid <"$file" 2>/dev/null || [ -n "${pid:-}" ] || return 1
	case $pid in '' | *[!0-9]*) return 1 ;; esac
	comm=$(cat "/proc/$pid/comm" 2>/dev/null) || return 1
	[ "$comm" = "$name" ] && au_alive "$pid" || return 1
	printf '%s\n' "$pid"
}

# au_stop FILE NAME SECONDS: SIGTERM the process named in FILE and wait
# up to SECONDS for it to exit, then SIGKILL it.  Quiet when not running.
au_stop() {
	local pid i=0
	pid=$(au_pid "$1" "$2") || return 0
	kill -TERM "$pid" 2>/dev/null || return 0
	while au_alive "$pid"; do
		i=$((i + 1))
		if [ "$i" -gt $(($3 * 10)) ]; then
			au_say "$2 ($pid) still running after $3 s; killing it"
			kill -KILL "$pid" 2>/dev/null || true
			break
		fi
		sleep 0.1
	done
}

# au_stop_strays DIR: SIGTERM, then SIGKILL, every process whose program
# file lies under DIR -- for example daemons that a test started from the
# scratch build and left behind.  Only programs from DIR are touched, so
# nothing that merely shares a name with them is.
au_stop_strays() {
	local dir=${1%/}/ d exe pids=() p i=0
	for d in /proc/[0-9]*; do
		exe=$(readlink "$d/exe" 2>/dev/null) || continue
		case $exe in "$dir"*) pids+=("${d#/proc/}") ;; esac
	done
	[ ${#pids[@]} -gt 0 ] || return 0
	kill -TERM "${pids[@]}" 2>/dev/null || true
	for p in "${pids[@]}"; do
		while au_alive "$p" && [ "$i" -lt 100 ]; do
			i=$((i + 1))
			sleep 0.1
		done
		! au_alive "$p" || kill -KILL "$p" 2>/dev/null || true
	done
	printf '%s: stopped %d stray process(es) running programs from %s\n' \
		"$AU_PROG" "${#pids[@]}" "$dir"
}

# Prints the end of each existing log file, for failure reports.
au_tail_logs() {
	local f
	for f in "$@"; do
		[ -s "$f" ] || continue
		printf -- '---- %s (last 25 lines)\n' "$f" >&2
		tail -n 25 "$f" >&2
	done
}

# True when configure or Makefile.in are missing or older than their
# sources in the checkout.
au_needs_autoreconf() {
	[ -x "$AU_SRC/configure" ] && [ -f "$AU_SRC/Makefile.in" ] || return 0
	[ -z "$(find "$AU_SRC/configure.ac" "$AU_SRC/m4" -newer "$AU_SRC/configure" 2>/dev/null)" ] || return 0
	[ -z "$(find "$AU_SRC" \( -path "$AU_SRC/var" -o -path "$AU_SRC/.git" \) -prune -o \
		\( -name Makefile.am -o -name local.mk \) -newer "$AU_SRC/Makefile.in" -print 2>/dev/null)" ]
}

# au_build DIR LOG [CONFIGURE-ARGS...]: autoreconf the checkout when
# needed, configure DIR out of tree once, make.  Output goes to LOG; the
# status is make's (or the failing step's).
au_build() {
	local dir=$1 log=$2
	shift 2
	: >"$log"
	if [ -f "$AU_SRC/config.status" ]; then
		echo "the checkout itself has been configured ($AU_SRC/config.status);" \
			"run 'make distclean' there: authio builds out of tree only" >>"$log"
		return 1
	fi
	if au_needs_autoreconf; then
		(cd "$AU_SRC" && autoreconf -fi) >>"$log" 2>&1 || return 1
	fi
	mkdir -p "$dir"
	if [ ! -f "$dir/Makefile" ]; then
		(cd "$dir" && "$AU_SRC/configure" "$@") >>"$log" 2>&1 || return 1
	fi
	make -C "$dir" -j"$(nproc)" >>"$log" 2>&1
}

# The unix user the web servers' workers run as when we start them as
# root: the owner of the checkout, who can read htdocs/ even inside a
# private home directory; www-data when root owns the checkout.
au_web_user() {
	local owner
	owner=$(stat -c %U "$AU_SRC")
	if [ "$owner" = root ] || [ "$owner" = UNKNOWN ]; then
		owner=www-data
	fi
	printf '%s\n' "$owner"
}

# au_free_ports N: N distinct TCP ports free on 127.0.0.1 right now, on
# one line.
au_free_ports() {
	/usr/bin/python3 -c '
import socket, sys
socks = [socket.socket() for _ in range(int(sys.argv[1]))]
for s in socks:
    s.bind(("127.0.0.1", 0))
print(*(s.getsockname()[1] for s in socks))' "$1"
}

# au_sed_escape STRING: STRING made safe as a sed replacement with | as
# the delimiter.
au_sed_escape() {
	printf '%s\n' "$1" | sed -e 's/[\\|&]/\\&/g'
}
