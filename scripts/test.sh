#!/usr/bin/env bash
# test.sh — the test command (.ci/run runs exactly this):
#
#   sudo scripts/test.sh
#
# In a scratch directory under /tmp it builds authio out of tree, starts a
# private MariaDB, and runs three suites:
#   make check            unit tests and store tests (against that MariaDB)
#   valgrind make check   the same programs under valgrind (AU_VALGRIND=1)
#   http                  tests/http against the real stack, brought up by
#                         scripts/up.sh on free ports behind nginx AND Apache,
#                         certified OIDC client libraries and headless
#                         Chromium among them (scripts/oidc-deps.sh installs
#                         those; the login page's screenshot is left in
#                         $AU_ARTIFACT_DIR, default tests/artifacts/)
# then prints `authio tests: N passed, M failed` and exits non-zero if any
# suite failed.  Everything it started is stopped and the scratch
# directory deleted on exit, unless AU_KEEP_SCRATCH=1 (then both are left
# for inspection and the command to stop them is printed).
set -euo pipefail
umask 022
. "$(dirname "$0")/lib.sh"

PY=/usr/bin/python3
T0=$SECONDS
SUITES=("make check" "valgrind make check" "http")
declare -A RESULT=()

phase() { printf '\n==== %s\n' "$*"; }

# record SUITE pass|fail|skip [WHY]
record() {
	RESULT[$1]="$2${3:+ ($3)}"
	printf -- '---- %s: %s\n' "$1" "${RESULT[$1]}"
}

summary() {
	local s n_pass=0 n_fail=0 n_skip=0
	phase "summary ($((SECONDS - T0)) s)"
	for s in "${SUITES[@]}"; do
		: "${RESULT[$s]:=fail (not run)}"
		printf '  %-20s %s\n' "$s" "${RESULT[$s]}"
		case ${RESULT[$s]} in
		pass*) n_pass=$((n_pass + 1)) ;;
		skip*) n_skip=$((n_skip + 1)) ;;
		*) n_fail=$((n_fail + 1)) ;;
		esac
	done
	printf 'authio tests: %d passed, %d failed%s\n' "$n_pass" "$n_fail" \
		"$([ "$n_skip" -eq 0 ] || printf ', %d skipped' "$n_skip")"
	[ "$n_fail" -eq 0 ]
}

phase "dependencies"
bash "$AU_SRC/scripts/deps.sh"
# Node.js, the npm client libraries and Chromium of the client-library
# proofs (tests/http/test_oidc_libraries.py, which fails under CI=true
# without them and skips elsewhere).
bash "$AU_SRC/scripts/oidc-deps.sh" ||
	echo "oidc-deps.sh failed: test_oidc_libraries will fail (CI) or skip"

SCRATCH=$(mktemp -d /tmp/authio-test.XXXXXX)
# nginx and Apache workers (not root) must reach the sockets inside.
chmod 755 "$SCRATCH"
mkdir -p "$SCRATCH/log"
export AU_VAR_DIR=$SCRATCH
BUILD=$SCRATCH/build

cleanup() {
	local rc=$?
	trap - EXIT INT TERM
	if [ "${AU_KEEP_SCRATCH:-0}" = 1 ]; then
		printf '\nkept %s and its processes; stop them with:\n' "$SCRATCH"
		printf '  AU_VAR_DIR=%s scripts/down.sh --purge\n' "$SCRATCH"
	else
		bash "$AU_SRC/scripts/down.sh" >/dev/null 2>&1 || true
		# Whatever else runs from the scratch build was started by this run.
		au_stop_strays "$SCRATCH"
		rm -rf "$SCRATCH"
	fi
	exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

read -r NGINX_PORT APACHE_PORT < <(au_free_ports 2)

# --- build -------------------------------------------------------------
phase "build (out of tree in $BUILD)"
t=$SECONDS
if ! au_build "$BUILD" "$SCRATCH/log/build.log"; then
	tail -n 80 "$SCRATCH/log/build.log"
	echo "build failed; no suite can run"
	summary || exit 1
fi
echo "built in $((SECONDS - t)) s"

# --- make check, twice -------------------------------------------------
phase "MariaDB for the store tests"
TEST_DB_PASS=$(openssl rand -hex 16)
db_ok=1
bash "$AU_SRC/scripts/mariadb.sh" start "$SCRATCH/mariadb" authio_test authio_test "$TEST_DB_PASS" || db_ok=0

# run_check SUITE [VAR=VALUE...]: make check in the build dir with the
# store tests' database and the given extra environment.
run_check() {
	local suite=$1 t=$SECONDS
	shift
	phase "$suite"
	if [ "$db_ok" = 0 ]; then
		record "$suite" fail "MariaDB did not start"
		return
	fi
	if env AU_TEST_DB_SOCKET="$SCRATCH/mariadb/run/mysqld.sock" \
		AU_TEST_DB_USER=authio_test AU_TEST_DB_PASSWORD="$TEST_DB_PASS" \
		AU_TEST_DB_NAME=authio_test "$@" \
		make -C "$BUILD" -j"$(nproc)" check; then
		record "$suite" pass "$((SECONDS - t)) s"
	else
		[ ! -f "$BUILD/test-suite.log" ] || cat "$BUILD/test-suite.log"
		record "$suite" fail "$((SECONDS - t)) s"
	fi
}
run_check "make check"
run_check "valgrind make check" AU_VALGRIND=1

# --- the real stack ----------------------------------------------------
phase "stack: up.sh with nginx on 127.0.0.1:$NGINX_PORT, Apache on 127.0.0.1:$APACHE_PORT"
# Short cache bounds: tests that change a realm wait them out (settle()).
if PORT=$NGINX_PORT APACHE_PORT=$APACHE_PORT AU_CACHE_TTL=1 AU_METADATA_MAX_AGE=2 \
	bash "$AU_SRC/scripts/up.sh"; then
	phase "http"
	t=$SECONDS
	if ! compgen -G "$AU_SRC/tests/http/test_*.py" >/dev/null; then
		record http skip "tests/http has no test_*.py yet"
	elif AU_VAR_DIR=$SCRATCH APACHE_PORT=$APACHE_PORT \
		bash "$AU_SRC/scripts/http-tests.sh"; then
		record http pass "$((SECONDS - t)) s"
		shot=${AU_ARTIFACT_DIR:-$AU_SRC/tests/artifacts}/login-page.png
		[ ! -s "$shot" ] || echo "screenshot of the hosted login page: $shot"
	else
		au_tail_logs "$SCRATCH/log/authiod.log" "$SCRATCH/log/nginx-error.log" \
			"$SCRATCH/log/apache-error.log"
		record http fail "$((SECONDS - t)) s"
	fi
else
	record http fail "the stack did not come up"
fi

summary
