#!/usr/bin/env bash
# The portal's pages before and after, in one run: requests per second and CPU per request for the welcome page (GET /)
# and a failed login (POST /login with a valid antiforgery token, answered 422 with the form and its error summary).
# Builds BASE (default: where this branch left main) and the working tree as Release publishes, then runs them one after the other with the
# same settings, alternating ROUNDS times (default 2). CPU is the server's utime+stime from /proc/PID/stat around each
# wrk run. Each measurement follows a WARMUP-second run of the same request (default 30): tiered compilation with PGO is
# still compiling for several seconds on a busy machine, and Razor Pages has more code to tier up than the old handlers,
# so a short warm-up measures the JIT, not the pages. Needs wrk (apt-get install -y wrk).
#
# The failed login uses a username the public username rule refuses ("no such user!"): the portal answers it exactly
# as a wrong password, without an Argon2id run (87 ms of CPU, which would hide the pages' cost entirely), so what is
# measured is the page machinery: form reading, antiforgery, the lockout check, rendering.
#
# Usage: bench/portal/pages.sh [BASE_REF] [ROUNDS] [SECONDS] [CONNECTIONS] [WARMUP]
set -euo pipefail
ROOT=$(git -C "$(dirname "$0")" rev-parse --show-toplevel)
BASE=${1:-$(git -C "$ROOT" merge-base main HEAD)}; ROUNDS=${2:-2}; SECS=${3:-10}; CONN=${4:-16}; WARMUP=${5:-30}
WEB=28091; AUTH=28912
# Builds go to $PAGES_BENCH_OUT (default /tmp/pages-bench): BASE's publish is kept per commit and reused.
OUT=${PAGES_BENCH_OUT:-/tmp/pages-bench}
T=$(mktemp -d)
pid=""
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$T"; }
trap cleanup EXIT

BASE_SHA=$(git -C "$ROOT" rev-parse "$BASE")
echo "building $BASE_SHA and the working tree ($(git -C "$ROOT" rev-parse --short HEAD)$(git -C "$ROOT" diff --quiet || echo ', with changes'))" >&2
if [ ! -f "$OUT/base-$BASE_SHA/Network.CaptivePortal.dll" ]; then
  mkdir -p "$T/base-src"
  git -C "$ROOT" archive "$BASE_SHA" | tar -x -C "$T/base-src"
  dotnet publish "$T/base-src/captive-portal/CaptivePortal" -c Release -o "$OUT/base-$BASE_SHA" -nologo -clp:ErrorsOnly -v:q >&2
fi
dotnet publish "$ROOT/captive-portal/CaptivePortal" -c Release -o "$OUT/head" -nologo -clp:ErrorsOnly -v:q >&2
ln -sfn "$OUT/base-$BASE_SHA" "$T/base"; ln -sfn "$OUT/head" "$T/head"

cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }

# run NAME URL [LUA]: one wrk run; prints "requests/s  µs CPU a request  requests  non-2xx/3xx".
run() {
  local name=$1 url=$2 lua=${3:-}
  local args=(-t1 -c"$CONN" -d"${SECS}s" --latency)
  [ -n "$lua" ] && args+=(-s "$lua")
  wrk -t1 -c"$CONN" -d"${WARMUP}s" ${lua:+-s "$lua"} "$url" >/dev/null   # warm-up
  local before after out
  before=$(cpu_ticks "$pid")
  out=$(wrk "${args[@]}" "$url")
  after=$(cpu_ticks "$pid")
  local requests rps bad hz
  hz=$(getconf CLK_TCK)
  requests=$(awk '/requests in/ { print $1 }' <<<"$out")
  rps=$(awk '/Requests\/sec/ { print $2 }' <<<"$out")
  bad=$(awk '/Non-2xx or 3xx/ { print $5 }' <<<"$out"); bad=${bad:-0}
  printf '%-5s %-12s %10s req/s %8.1f µs CPU/request  (%s requests, %s answered non-2xx/3xx)\n' "$VARIANT" "$name" "$rps" \
    "$(awk -v d=$((after - before)) -v hz="$hz" -v n="$requests" 'BEGIN { print d * 1e6 / hz / n }')" "$requests" "$bad"
}

measure() {
  VARIANT=$1
  local data="$T/data-$1-$2"
  mkdir -p "$data"
  dotnet "$T/$1/Network.CaptivePortal.dll" --urls=http://127.0.0.1:$WEB --Storage:DataDirectory="$data" \
    --Logging:LogLevel:Default=Warning --Radius:BindAddress=127.0.0.1 --Radius:AuthPort=$AUTH --Radius:AcctPort=$((AUTH + 1)) \
    --Portal:RateLimits:Window=00:00:01 --Portal:RateLimits:LoginsPerIp=100000 >"$T/portal-$1.log" 2>&1 &
  pid=$!
  for _ in $(seq 1 150); do curl -fs "http://127.0.0.1:$WEB/readyz" >/dev/null && break; sleep 0.2; done
  # The login form's antiforgery cookie and token, reused for every post (as a browser would for one form).
  local form cookie token
  form=$(curl -fs -c "$T/jar" "http://127.0.0.1:$WEB/login?lang=en")
  token=$(grep -o 'name="__RequestVerificationToken"[^>]*value="[^"]*"' <<<"$form" | sed 's/.*value="//; s/"$//')
  cookie=$(awk '$6 == "portal-antiforgery" { print $6 "=" $7 }' "$T/jar")
  cat >"$T/login.lua" <<LUA
wrk.method = "POST"
wrk.body = "__RequestVerificationToken=$token&username=no+such+user%21&password=wrong-password"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.headers["Cookie"] = "$cookie"
LUA
  local status
  status=$(curl -s -o /dev/null -w '%{http_code}' -H "Cookie: $cookie" --data-binary "__RequestVerificationToken=$token&username=no+such+user%21&password=wrong-password" \
    -H 'Content-Type: application/x-www-form-urlencoded' "http://127.0.0.1:$WEB/login?lang=en")
  [ "$status" = 422 ] || { echo "$1: the failed login answered $status, not 422" >&2; exit 1; }
  run "GET /" "http://127.0.0.1:$WEB/?lang=en"
  run "POST /login" "http://127.0.0.1:$WEB/login?lang=en" "$T/login.lua"
  kill "$pid"; wait "$pid" 2>/dev/null || true; pid=""
}

echo "wrk -t1 -c$CONN -d${SECS}s after a ${WARMUP} s warm-up; $(nproc) cores; load $(cut -d' ' -f1-3 /proc/loadavg)"
for round in $(seq 1 "$ROUNDS"); do
  measure base "$round"
  measure head "$round"
done
