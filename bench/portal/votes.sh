#!/usr/bin/env bash
# Votes per second on the polls from citizens already signed in, and the portal's CPU per vote. A Release publish of
# the working tree (kept in $VOTES_BENCH_OUT, default /tmp/votes-bench), a fresh data folder, CITIZENS accounts
# imported, one poll made through the management API; each citizen signs in to the polls once (curl: the sign-in
# form's antiforgery cookie and token, then the polls cookie), then wrk posts vote forms round-robin over the
# citizens and the poll's five options (each post changes that citizen's vote: an upsert, answered 303) for SECONDS
# after a WARMUP-second run. CPU is the server's utime+stime from /proc/PID/stat around the measured run. At the end the
# API's vote count must equal CITIZENS (one voice each). Needs wrk and curl.
#
# Usage: bench/portal/votes.sh [CITIZENS] [SECONDS] [CONNECTIONS] [WARMUP]
set -euo pipefail
ROOT=$(git -C "$(dirname "$0")" rev-parse --show-toplevel)
CITIZENS=${1:-100}; SECS=${2:-10}; CONN=${3:-16}; WARMUP=${4:-15}
WEB=28191; TOKEN=bench-management-token-0123456789abcdef
OUT=${VOTES_BENCH_OUT:-/tmp/votes-bench}
T=$(mktemp -d)
pid=""
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$T"; }
trap cleanup EXIT

dotnet publish "$ROOT/captive-portal/CaptivePortal" -c Release -o "$OUT" -nologo -clp:ErrorsOnly -v:q >&2
settings=(--Storage:DataDirectory="$T/data" --Radius:Enabled=false --Logging:LogLevel:Default=Warning
  --Polls:PseudonymKey=bench-pseudonym-key-0123456789abcdef --Polls:ManagementToken=$TOKEN
  --Portal:RateLimits:Window=00:00:01 --Portal:RateLimits:LoginsPerIp=100000 --Portal:RateLimits:PollPostsPerIp=10000000)
mkdir -p "$T/data"
for i in $(seq 1 "$CITIZENS"); do printf 'citizen%04d Flagey-%04d-wifi\n' "$i" "$i"; done \
  | dotnet "$OUT/Network.CaptivePortal.dll" users import --stdin --create-store "${settings[@]}" >"$T/import.log"
dotnet "$OUT/Network.CaptivePortal.dll" --urls=http://127.0.0.1:$WEB "${settings[@]}" >"$T/portal.log" 2>&1 &
pid=$!
for _ in $(seq 1 150); do curl -fs "http://127.0.0.1:$WEB/readyz" >/dev/null && break; sleep 0.2; done

now=$(date -u +%s)
iso() { date -u -d "@$1" +%Y-%m-%dT%H:%M:%SZ; }
poll=$(curl -fs -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' "http://127.0.0.1:$WEB/api/v1/polls" --data-binary @- <<JSON | sed 's/^{"id":\([0-9]*\).*/\1/'
{"title":{"nl":"t","fr":"t","en":"t"},"description":{"nl":"d","fr":"d","en":"d"},"opensAt":"$(iso $((now - 60)))","closesAt":"$(iso $((now + 86400)))",
 "options":[{"key":"a","label":{"nl":"a","fr":"a","en":"a"}},{"key":"b","label":{"nl":"b","fr":"b","en":"b"}},{"key":"c","label":{"nl":"c","fr":"c","en":"c"}},
 {"key":"d","label":{"nl":"d","fr":"d","en":"d"}},{"key":"e","label":{"nl":"e","fr":"e","en":"e"}}],"proposalsOpenUntil":null,"resultsWhileOpen":false,"requiresOnlineAccount":false}
JSON
)

# Each citizen: antiforgery cookie and token from the sign-in form, the polls cookie from the sign-in.
token_of() { grep -o 'name="__RequestVerificationToken"[^>]*value="[^"]*"' | head -1 | sed 's/.*value="//; s/"$//'; }
echo "citizens = {" >"$T/votes.lua"
for i in $(seq 1 "$CITIZENS"); do
  jar="$T/jar$i"
  form=$(curl -fs -c "$jar" "http://127.0.0.1:$WEB/polls/signin?lang=en")
  tok=$(token_of <<<"$form")
  curl -fs -o /dev/null -b "$jar" -c "$jar" --data-urlencode "__RequestVerificationToken=$tok" --data-urlencode "username=$(printf 'citizen%04d' "$i")" \
    --data-urlencode "password=$(printf 'Flagey-%04d-wifi' "$i")" --data-urlencode "back=/polls" "http://127.0.0.1:$WEB/polls/signin?lang=en"
  cookies=$(awk '$6 == "portal-antiforgery" || $6 == "polls" { printf "%s=%s; ", $6, $7 }' "$jar")
  printf '  { cookie = "%s", token = "%s" },\n' "$cookies" "$tok" >>"$T/votes.lua"
done
cat >>"$T/votes.lua" <<LUA
}
local n, options = 0, { "a", "b", "c", "d", "e" }
request = function()
  n = n + 1
  local c = citizens[(n % #citizens) + 1]
  local body = "__RequestVerificationToken=" .. c.token .. "&kind=vote&option=" .. options[(n % 5) + 1]
  return wrk.format("POST", "/polls/$poll?lang=en", { ["Content-Type"] = "application/x-www-form-urlencoded", ["Cookie"] = c.cookie }, body)
end
LUA

cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
echo "wrk -t1 -c$CONN -d${SECS}s after a ${WARMUP} s warm-up; $CITIZENS citizens; $(nproc) cores; load $(cut -d' ' -f1-3 /proc/loadavg)"
wrk -t1 -c"$CONN" -d"${WARMUP}s" -s "$T/votes.lua" "http://127.0.0.1:$WEB" >/dev/null
before=$(cpu_ticks "$pid")
out=$(wrk -t1 -c"$CONN" -d"${SECS}s" --latency -s "$T/votes.lua" "http://127.0.0.1:$WEB")
after=$(cpu_ticks "$pid")
requests=$(awk '/requests in/ { print $1 }' <<<"$out")
bad=$(awk '/Non-2xx or 3xx/ { print $5 }' <<<"$out"); bad=${bad:-0}
echo "$out" | grep -E 'Latency|50%|99%|Requests/sec'
printf 'votes: %s in %s s, %s answered other than 2xx/3xx; %.1f µs CPU a vote\n' "$requests" "$SECS" "$bad" \
  "$(awk -v d=$((after - before)) -v hz="$(getconf CLK_TCK)" -v n="$requests" 'BEGIN { print d * 1e6 / hz / n }')"
curl -fs -H "Authorization: Bearer $TOKEN" "http://127.0.0.1:$WEB/api/v1/polls/$poll" | grep -o '"votes":[0-9]*'
