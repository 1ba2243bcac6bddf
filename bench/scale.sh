#!/usr/bin/env bash
# bench/scale.sh — does the admin API stay fast at scale?
#
#   sudo bench/scale.sh              (about 5 minutes)
#   SCALE_USERS=20000 SCALE_CLIENTS=2000 SCALE_REALMS=200 bench/scale.sh
#
# Brings up a fresh stack (scripts/up.sh, scratch directory, free port),
# then loads, with SQL straight into MariaDB (the loader is not what is
# measured): one realm "scale" holding SCALE_USERS users (100,000) and
# SCALE_CLIENTS clients (10,000); and SCALE_REALMS realms (1,000) through
# the admin API, each provisioned with its keys like any realm.
# bench/scale.py then times, over HTTP through nginx on this machine
# (keep-alive, sequential, so the time is the server's), each list,
# prefix search and exact lookup, first and deep pages, and the OIDC
# endpoints of the last realm created, and prints p50/p95/max per request.
# Everything it started is stopped and the scratch directory removed.
set -euo pipefail
umask 022
. "$(dirname "$0")/../scripts/lib.sh"

USERS=${SCALE_USERS:-100000}
CLIENTS=${SCALE_CLIENTS:-10000}
REALMS=${SCALE_REALMS:-1000}
PY=/usr/bin/python3

SCRATCH=$(mktemp -d /tmp/authio-scale.XXXXXX)
chmod 755 "$SCRATCH"
export AU_VAR_DIR=$SCRATCH
cleanup() {
	trap - EXIT INT TERM
	bash "$AU_SRC/scripts/down.sh" --purge >/dev/null 2>&1 || true
	rm -rf "$SCRATCH"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

read -r PORT < <(au_free_ports 1)
au_say "bringing the stack up in $SCRATCH (nginx on $PORT)"
PORT=$PORT bash "$AU_SRC/scripts/up.sh" >"$SCRATCH/up.log" 2>&1 ||
	{ tail -n 40 "$SCRATCH/up.log"; au_die "the stack did not come up"; }
sed -i -e "s/^level = .*/level = warn/" "$SCRATCH/authio.conf"
kill -HUP "$(cat "$SCRATCH/run/authiod.pid")"

sql() {
	mariadb --no-defaults --socket="$SCRATCH/mariadb/run/mysqld.sock" -uroot authio "$@"
}

$PY "$AU_SRC/bench/scale.py" create-realm "http://127.0.0.1:$PORT" \
	"$SCRATCH/admin-cli.json" scale
t=$SECONDS
au_say "loading $USERS users and $CLIENTS clients into realm 'scale' (SQL)"
sql >/dev/null <<SQL
SET @r = (SELECT id FROM realms WHERE realm_id = 'scale');
INSERT INTO users (id, realm_id, username, email, first_name, last_name,
                   created_at, updated_at)
  SELECT UUID(), @r, CONCAT('user', LPAD(seq, 6, '0')),
         CONCAT('user', LPAD(seq, 6, '0'), '@example.com'),
         'First', CONCAT('Last', seq), UTC_TIMESTAMP(), UTC_TIMESTAMP()
  FROM seq_1_to_${USERS};
INSERT INTO clients (id, realm_id, client_id, name, type, grant_types,
                     created_at, updated_at)
  SELECT UUID(), @r, CONCAT('app', LPAD(seq, 5, '0')), CONCAT('App ', seq),
         'confidential', 'authorization_code refresh_token client_credentials',
         UTC_TIMESTAMP(), UTC_TIMESTAMP()
  FROM seq_1_to_${CLIENTS};
INSERT INTO principal_names (realm_id, name, kind, owner_id)
  SELECT realm_id, client_id, 'client', id FROM clients WHERE realm_id = @r;
INSERT INTO client_scopes (client_id, scope_id, kind)
  SELECT c.id, s.id, 'default' FROM clients c JOIN scopes s
  ON s.realm_id IS NULL AND s.name IN ('openid', 'profile', 'email')
  WHERE c.realm_id = @r;
ANALYZE TABLE users, clients, principal_names, client_scopes;
SQL
au_say "loaded in $((SECONDS - t)) s"

t=$SECONDS
au_say "creating $REALMS realms through the admin API"
$PY "$AU_SRC/bench/scale.py" create-realms "http://127.0.0.1:$PORT" \
	"$SCRATCH/admin-cli.json" "$REALMS"
au_say "created in $((SECONDS - t)) s"

$PY "$AU_SRC/bench/scale.py" measure "http://127.0.0.1:$PORT" \
	"$SCRATCH/admin-cli.json" "$USERS" "$CLIENTS" "$REALMS"
