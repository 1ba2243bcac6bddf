#!/usr/bin/env bash
# http-tests.sh — runs tests/http against a stack that scripts/up.sh started:
#
#   AU_VAR_DIR=/tmp/au-dev PORT=18080 scripts/up.sh        # once (as root)
#   AU_VAR_DIR=/tmp/au-dev scripts/http-tests.sh            # every test
#   AU_VAR_DIR=/tmp/au-dev scripts/http-tests.sh test_admin_users test_token.TokenTest
#
# Arguments name test modules / classes / methods (unittest syntax);
# without any, every tests/http/test_*.py runs.  up.sh rebuilds and
# restarts authiod when the sources changed, so edit → up.sh → this.
# The Apache smoke tests skip unless APACHE_PORT names the port up.sh was
# given.  scripts/test.sh runs the whole suite through this script.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

VAR=$(au_var_dir)
[ -s "$VAR/admin-cli.json" ] || au_die "no stack in $VAR (run scripts/up.sh first)"
BASE=$(/usr/bin/python3 -c 'import json, sys
i = json.load(open(sys.argv[1]))["issuer"]
print(i[:i.index("/realms/")])' "$VAR/admin-cli.json")

export PYTHONDONTWRITEBYTECODE=1 \
	AUTHIO_URL="$BASE" \
	AUTHIO_APACHE_URL="${APACHE_PORT:+http://127.0.0.1:$APACHE_PORT}" \
	AUTHIO_CREDENTIALS="$VAR/admin-cli.json" \
	AUTHIO_DB_SOCKET="$VAR/mariadb/run/mysqld.sock" \
	AUTHIO_DB_USER=authio \
	AUTHIO_DB_PASSWORD="$(cat "$VAR/db-password")" \
	AUTHIO_DB_NAME=authio \
	AUTHIO_LOG="$VAR/log/authiod.log" \
	AUTHIO_PID="$(cat "$VAR/run/authiod.pid")" \
	AUTHIO_CONFIG="$VAR/authio.conf" \
	AUTHIO_BIN="$VAR/build"
cd "$AU_SRC/tests/http"
if [ $# -eq 0 ]; then
	exec /usr/bin/python3 -m unittest discover -s . -p 'test_*.py' -v
fi
exec /usr/bin/python3 -m unittest -v "$@"
