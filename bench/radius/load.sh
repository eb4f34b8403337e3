#!/usr/bin/env bash
# Sends TOTAL PAP Access-Requests (or accounting records) with radclient to SERVER and reports the rate, the replies,
# and the server's CPU time per request (from /proc/PID/stat, utime+stime, before and after).
# Usage: bench/radius/load.sh PID SERVER[:PORT] SECRET auth|acct [TOTAL] [USERS] [PARALLEL]
# THREADS=1 also prints the server's CPU by thread name over the same interval (bench/radius/threads.py).
set -euo pipefail
PID=$1; SERVER=$2; SECRET=$3; KIND=$4; TOTAL=${5:-20000}; USERS=${6:-500}; PARALLEL=${7:-200}
T=$(mktemp -d)
per=$(( TOTAL < 2000 ? TOTAL : 2000 ))   # radclient rescans its list for every reply: files of about 2,000 requests (COOKBOOK.md)
files=$(( (TOTAL + per - 1) / per ))
# One awk run writes every file (a shell loop of printf took minutes for 20,000 requests on a busy machine).
awk -v total="$TOTAL" -v per="$per" -v users="$USERS" -v kind="$KIND" -v dir="$T" 'BEGIN {
  for (i = 0; i < total; i++) {
    f = int(i / per) + 1; r = i % per + 1; n = i % users + 1; out = dir "/req-" f ".txt"
    if (kind == "auth")
      printf "User-Name = \"user%04d\", User-Password = \"pw-%04d-secret\", Message-Authenticator = 0x00, NAS-Identifier = \"hs-bench\"\n\n", n, n > out
    else
      printf "User-Name = \"user%04d\", Acct-Status-Type = Interim-Update, Acct-Session-Id = \"bench-%d-%d\", NAS-Identifier = \"hs-bench\", Acct-Session-Time = %d, Acct-Input-Octets = %d\n\n", n, f, r, r, r * 1000 > out
  }
}'
ticks() { awk '{print $14 + $15}' "/proc/$PID/stat"; }
hz=$(getconf CLK_TCK)
# Start from a quiet server: work left over from an earlier run (password hashes of a warm-up) is not this run's.
# QUIET_WAIT caps that wait in half seconds (default 600, 5 minutes): a busy shared machine may never look quiet.
for _ in $(seq 1 "${QUIET_WAIT:-600}"); do a=$(ticks); sleep 0.5; [ $(( $(ticks) - a )) -le 1 ] && break; done
[ -n "${THREADS:-}" ] && python3 "$(dirname "$0")/threads.py" "$PID" snap "$T/threads.json"
before=$(ticks); start=$(date +%s.%N); ok=0; lost=0
for f in $(seq 1 "$files"); do
  out=$(radclient -f "$T/req-$f.txt" -p "$PARALLEL" -q -s "$SERVER" "$KIND" "$SECRET" 2>&1 || true)
  ok=$(( ok + $(echo "$out" | awk -F: '/Accepted/ {gsub(/[ \t]/,"",$2); print $2 + 0; exit}') ))
  lost=$(( lost + $(echo "$out" | awk -F: '/Lost/ {gsub(/[ \t]/,"",$2); print $2 + 0; exit}') ))
done
end=$(date +%s.%N); after=$(ticks)
[ -n "${THREADS:-}" ] && python3 "$(dirname "$0")/threads.py" "$PID" diff "$T/threads.json"
python3 - "$TOTAL" "$ok" "$start" "$end" "$before" "$after" "$hz" "$lost" <<'PY'
import sys
total, ok, start, end, before, after, hz, lost = int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3]), float(sys.argv[4]), int(sys.argv[5]), int(sys.argv[6]), int(sys.argv[7]), int(sys.argv[8])
secs = end - start
cpu = (after - before) / hz
print(f"requests {total}  accepted {ok}  lost {lost}  wall {secs:.2f} s  rate {total / secs:,.0f}/s  server cpu {cpu:.2f} s  = {cpu / total * 1e6:.1f} us/request")
PY
rm -rf "$T"
