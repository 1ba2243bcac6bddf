#!/usr/bin/env bash
# bench/run.sh — throughput, latency and memory of authio on this machine.
#
#   sudo bench/run.sh            (about 2 minutes)
#   BENCH_SECONDS=5 bench/run.sh (shorter runs)
#
# Brings up a fresh stack with scripts/up.sh in a scratch directory on
# free ports (nginx with the shipped site in front of authiod and a
# private MariaDB), creates a realm with one RS256 and one ES256 client,
# and measures with wrk on this same machine:
#   - client-credentials tokens signed RS256 and ES256 (Basic auth)
#   - the discovery document and the JWKS from the workers (a plain nginx
#     FastCGI server without cache) and through the shipped site's cache
#   - worker RSS before and after at least 100,000 token requests
#   - `openssl speed` sign rates for RSA-2048 and P-256 on all cores,
#     measured in the same run, and the ratio of token rate to sign rate.
# Everything it started is stopped and the scratch directory removed.
set -euo pipefail
umask 022
. "$(dirname "$0")/../scripts/lib.sh"

. "$(dirname "$0")/lib.sh"

api -d '{"name":"Bench","realmId":"bench"}' "$B/api/admin/realms" >/dev/null
api -d '{"clientId":"rs","grantTypes":["client_credentials"]}' "$B/api/admin/realms/bench/clients" >/dev/null
api -d '{"clientId":"es","grantTypes":["client_credentials"],"tokenSettings":{"signingAlg":"ES256"}}' \
	"$B/api/admin/realms/bench/clients" >/dev/null
RS_SECRET=$(api -X POST "$B/api/admin/realms/bench/clients/rs/secrets" | json secret)
ES_SECRET=$(api -X POST "$B/api/admin/realms/bench/clients/es/secrets" | json secret)

cat >"$SCRATCH/token.lua" <<'EOF'
wrk.method = "POST"
wrk.body = "grant_type=client_credentials"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.headers["Authorization"] = "Basic " .. os.getenv("BENCH_BASIC")
EOF

worker_rss() {
	local pid
	for pid in $(cat "/proc/$(cat "$SCRATCH/run/authiod.pid")/task/"*/children); do
		awk '/^VmRSS:/ { print $2 }' "/proc/$pid/status" 2>/dev/null || true
	done | awk '{ n++; t += $1; if ($1 > m) m = $1 }
		END { printf "%d workers, max %.1f MB, mean %.1f MB", n, m / 1024, t / n / 1024 }'
}

# run NAME URL [LUA]: wrk; prints "NAME req/s p50 p99 requests non2xx".
run() {
	local name=$1 url=$2 lua=${3:-} out
	out=$(wrk -t1 -c"$CONNS" -d"${SECS}s" --latency ${lua:+-s "$lua"} "$url")
	$PY - "$name" <<EOF
import re, sys
out = """$out"""
rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
total = int(re.search(r"(\d+) requests in", out).group(1))
def lat(p):
    m = re.search(r"\s%s%%\s+([\d.]+)(us|ms|s)" % p, out)
    v = float(m.group(1))
    return v / 1000 if m.group(2) == "us" else (v * 1000 if m.group(2) == "s" else v)
bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
print("%s %.0f %.2f %.2f %d %d" % (sys.argv[1], rps, lat(50), lat(99), total,
      int(bad.group(1)) if bad else 0))
EOF
}

au_say "warming up"
export BENCH_BASIC
BENCH_BASIC=$(printf 'es:%s' "$ES_SECRET" | base64 -w0)
wrk -t1 -c"$CONNS" -d2s -s "$SCRATCH/token.lua" "$B/realms/bench/token" >/dev/null
RSS_BEFORE=$(worker_rss)

au_say "measuring ($SECS s per run, $CONNS connections, $WORKERS workers on $CPUS CPUs)"
RESULTS=()
BENCH_BASIC=$(printf 'rs:%s' "$RS_SECRET" | base64 -w0)
RESULTS+=("$(run token-RS256 "$B/realms/bench/token" "$SCRATCH/token.lua")")
BENCH_BASIC=$(printf 'es:%s' "$ES_SECRET" | base64 -w0)
RESULTS+=("$(run token-ES256 "$B/realms/bench/token" "$SCRATCH/token.lua")")
RESULTS+=("$(run discovery-workers "$RAW/realms/bench/.well-known/openid-configuration")")
RESULTS+=("$(run jwks-workers "$RAW/realms/bench/jwks")")
RESULTS+=("$(run discovery-nginx-cache "$B/realms/bench/.well-known/openid-configuration")")
RESULTS+=("$(run jwks-nginx-cache "$B/realms/bench/jwks")")

# Memory across at least 100,000 more token requests.
done_requests=0
while [ "$done_requests" -lt 100000 ]; do
	r=$(run soak "$B/realms/bench/token" "$SCRATCH/token.lua")
	done_requests=$((done_requests + $(echo "$r" | awk '{ print $5 }')))
done
RSS_AFTER=$(worker_rss)

au_say "openssl speed on $CPUS cores"
RSA_SIGN=$(speed rsa2048 rsa)
EC_SIGN=$(speed ecdsap256 ec)

$PY - "$RSA_SIGN" "$EC_SIGN" "$RSS_BEFORE" "$RSS_AFTER" "$done_requests" "${RESULTS[@]}" <<'EOF'
import sys
rsa, ec, rss_before, rss_after, soak = float(sys.argv[1]), float(sys.argv[2]), sys.argv[3], sys.argv[4], sys.argv[5]
rows = [r.split() for r in sys.argv[6:]]
targets = {"token-RS256": ("%.0f (70%% of RSA sign)" % (0.7 * rsa), 0.7 * rsa),
           "token-ES256": ("9000", 9000), "discovery-workers": ("10000", 10000),
           "jwks-workers": ("10000", 10000), "discovery-nginx-cache": ("30000", 30000),
           "jwks-nginx-cache": ("30000", 30000)}
print("\n| run | req/s | p50 ms | p99 ms | requests | non-2xx | target req/s | |")
print("|---|---:|---:|---:|---:|---:|---:|---|")
for name, rps, p50, p99, total, bad in rows:
    label, floor = targets[name]
    ok = float(rps) >= floor and int(bad) == 0
    print("| %s | %s | %s | %s | %s | %s | %s | %s |" % (name, rps, p50, p99, total, bad, label,
          "met" if ok else "MISSED"))
by = {r[0]: float(r[1]) for r in rows}
print("\nopenssl speed, all cores: RSA-2048 sign %.0f/s, P-256 sign %.0f/s" % (rsa, ec))
print("RS256 tokens / RSA-2048 sign rate: %.0f%%" % (100 * by["token-RS256"] / rsa))
print("ES256 tokens / P-256 sign rate:    %.0f%%" % (100 * by["token-ES256"] / ec))
print("worker RSS before: %s" % rss_before)
print("worker RSS after %s more token requests: %s" % (soak, rss_after))
EOF
