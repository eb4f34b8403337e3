#!/usr/bin/env bash
# The throughput test's cost on loopback (docs/benchmarks.md): the NOC's CPU per Gbit its endpoint serves, the agent's
# CPU during a test, and the same test against a stock iperf3 -s for comparison.
# Usage: bench/throughput.sh   (after `dotnet build noc-server/NocServer -c Release` and
#        `dotnet publish edge-agent/EdgeAgent -c Release -r linux-x64 -o /tmp/edge-agent-aot`; AGENT=... to use another binary)
set -euo pipefail
cd "$(dirname "$0")/.."
noc_dll=noc-server/NocServer/bin/Release/net10.0/Network.Noc.dll
agent=${AGENT:-/tmp/edge-agent-aot/edge-agent}
seconds=${SECONDS_MEASURED:-10}
work=$(mktemp -d)
noc_pid="" iperf_pid=""
cleanup() { [ -n "$noc_pid" ] && kill "$noc_pid" 2>/dev/null; [ -n "$iperf_pid" ] && kill "$iperf_pid" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT
token=bench-throughput-token-0123456789abcdef
echo "$token" | dotnet "$noc_dll" agents add agent-bench --token-stdin --create-store --Storage:DataDirectory="$work/noc" >/dev/null
# Loopback moves several Gbit/s: the byte bound (4 GiB, for links up to 1 Gbit/s) is raised so that it does not end the test.
dotnet "$noc_dll" --urls http://127.0.0.1:18480 --Storage:DataDirectory="$work/noc" --Throughput:MaxBytes=1099511627776 >"$work/noc.log" 2>&1 &
noc_pid=$!
iperf3 -s -B 127.0.0.1 -p 18481 >/dev/null 2>&1 &
iperf_pid=$!
for _ in $(seq 100); do curl -sf http://127.0.0.1:18480/healthz >/dev/null && break; sleep 0.2; done

ticks=$(getconf CLK_TCK)
cpu() { awk -v t="$ticks" '{printf "%.2f", ($14 + $15) / t}' "/proc/$1/stat"; }
served() { curl -s http://127.0.0.1:18480/metrics | awk '/^noc_throughput_bytes_total/ {s += $2} END {printf "%.0f", s}'; }
config() {
  cat >"$work/agent.json" <<JSON
{"Agent": {"Site": {"Id": "school-bench", "Kind": "school"}, "Noc": {"Url": "http://127.0.0.1:18480/", "Token": "$token"},
  "Queue": {"Folder": "$work/queue"}, "Throughput": {"DurationSeconds": $seconds, "OmitSeconds": 2, "Targets": [$1]}}}
JSON
}

run() { # $1: label, $2: target JSON, $3: pid of the server side
  config "$2"
  local server_before bytes_before
  server_before=$(cpu "$3"); bytes_before=$(served)
  local out; out=$( { /usr/bin/time -f "agent: %U s user, %S s system, %e s wall, %M KiB max resident" "$agent" throughput --config "$work/agent.json"; } 2>&1 ) || true
  local server_after bytes_after
  server_after=$(cpu "$3"); bytes_after=$(served)
  echo "== $1"
  echo "$out"
  echo "server: $(awk -v a="$server_before" -v b="$server_after" 'BEGIN {printf "%.2f", b - a}') s CPU"
  [ "$bytes_after" != "$bytes_before" ] && echo "NOC endpoint bytes: $((bytes_after - bytes_before))" || true
}

run "NOC endpoint (HTTP/1.1)" '{"Name": "noc", "Kind": "Noc"}' "$noc_pid"
run "iperf3 -s (iperf3's protocol)" '{"Name": "iperf3", "Kind": "Iperf3", "Host": "127.0.0.1", "Port": 18481}' "$iperf_pid"
