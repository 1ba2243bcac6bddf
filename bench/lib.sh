# bench/lib.sh — what the benchmark scripts share: sourced after
# scripts/lib.sh.  Brings a fresh stack up with scripts/up.sh in a scratch
# directory on free ports (torn down on exit), with quiet logs and
# BENCH_WORKERS workers (2 x CPUs), plus a second nginx server without any
# cache on RAW_PORT; then B (the site), RAW, ADMIN_ID/ADMIN_SECRET, TOKEN
# (a master admin token) and api() (curl with it) are set.
SECS=${BENCH_SECONDS:-10}
CONNS=${BENCH_CONNECTIONS:-16}
PY=/usr/bin/python3
CPUS=$(nproc)
WORKERS=${BENCH_WORKERS:-$((CPUS * 2))}

command -v wrk >/dev/null || bash "$AU_SRC/scripts/deps.sh"
SCRATCH=$(mktemp -d /tmp/authio-bench.XXXXXX)
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

read -r PORT RAW_PORT < <(au_free_ports 2)

au_say "bringing the stack up in $SCRATCH (nginx on $PORT)"
PORT=$PORT bash "$AU_SRC/scripts/up.sh" >"$SCRATCH/up.log" 2>&1 ||
	{ tail -n 40 "$SCRATCH/up.log"; au_die "the stack did not come up"; }

# Benchmark settings: quiet logs, a worker per CPU plus one waiting on I/O.
sed -i -e "s/^level = .*/level = warn/" "$SCRATCH/authio.conf"
$PY - "$SCRATCH/authio.conf" "$WORKERS" <<'EOF'
import re, sys
path, workers = sys.argv[1], sys.argv[2]
text = open(path).read()
text = re.sub(r"(\[server\]\n)", r"\1workers = %s\n" % workers, text, count=1)
open(path, "w").write(text)
EOF
kill -HUP "$(cat "$SCRATCH/run/authiod.pid")"

# A second nginx server without any cache: what the workers themselves do
# (connections to them kept open, as the shipped site keeps them).
sed -i -e "s|^    include $SCRATCH/nginx/authio.conf;|&\n    upstream authio_raw { server unix:$SCRATCH/run/authiod.sock; keepalive 8; }\n    server { listen 127.0.0.1:$RAW_PORT; location / { include /etc/nginx/fastcgi_params; fastcgi_pass authio_raw; fastcgi_keep_conn on; } }|" \
	"$SCRATCH/nginx/nginx.conf"
nginx -c "$SCRATCH/nginx/nginx.conf" -e "$SCRATCH/log/nginx-error.log" -s reload
sleep 1

B=http://127.0.0.1:$PORT
RAW=http://127.0.0.1:$RAW_PORT
read -r ADMIN_ID ADMIN_SECRET < <($PY -c '
import json, sys
c = json.load(open(sys.argv[1]))
print(c["client_id"], c["client_secret"])' "$SCRATCH/admin-cli.json")

json() { $PY -c 'import json,sys; print(json.load(sys.stdin)[sys.argv[1]])' "$1"; }
TOKEN=$(curl -fsS -u "$ADMIN_ID:$ADMIN_SECRET" -d grant_type=client_credentials "$B/realms/master/token" | json access_token)
api() {
	curl -fsS -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' "$@"
}

# speed ALG KIND: openssl's sign rate on all cores (KIND rsa or ec).
speed() {
	openssl speed -seconds 5 -multi "$CPUS" "$1" 2>/dev/null | awk -v alg="$2" '
		alg == "rsa" && /^rsa 2048 bits/ { print $(NF - 1) }
		alg == "ec" && /nistp256/ { print $(NF - 1) }'
}
