#!/bin/bash
# Steady-state footprint of one or more edge-agent binaries, side by side in the same run (the budget: at most 20 MB RSS,
# under 1 % of a core, polling 2 devices with 50 interfaces every 30 s, NOC unreachable so the queue grows).
#
# Usage: steady-rss.sh SECONDS NAME=BINARY [NAME=BINARY ...]
# The two devices must answer at 127.0.0.1:20970 and 127.0.0.1:20971, for example:
#   for N in 0 1; do mkdir -p simN; edge-agent/bench/make-snmprec.py 50 > sim$N/public.snmprec
#     snmpsimd --data-dir=sim$N --agent-udpv4-endpoint=127.0.0.1:2097$N --process-user=nobody --process-group=nogroup & done
# Each agent runs under `/usr/bin/time -v timeout -s TERM SECONDS BINARY --config FILE`; `ps -o rss,pcpu` is read after
# 45 s, 105 s and every 60 s after while the run lasts (and /proc/PID/smaps_rollup at the last of them); the maximum RSS
# and CPU seconds come from time -v. Give each agent its own copy of its binary: the agent pages out its code after the
# first cycle, and the kernel keeps pages that another process maps too.
# Extra environment for one binary: NAME=BINARY@VAR=value,VAR=value.
# The NOC is unreachable (https://127.0.0.1:9/) unless NOC_URL is set: a real one over HTTPS comes from noc-https.sh
# (then also NOC_CA, SITE, AGENT_ID and TOKEN; "{n}" in AGENT_ID and TOKEN becomes the binary's place, 1, 2, ..., so each
# agent of one run has its own id and sequence: noc-https.sh registers agent-b1..agent-b6 with the tokens
# bench-token-0123456789abcdef-1..6).
# /proc/PID/smaps by mapping (smaps-summary.sh) is kept at the last sample in the run's folder as NAME.smaps.
set -euo pipefail
seconds=$1
shift
work=$(mktemp -d /tmp/steady-rss.XXXXXX)
echo "folder $work, load before: $(cut -d' ' -f1-3 /proc/loadavg)"
declare -A pids bins
names=()
place=0
for spec in "$@"; do
    place=$((place + 1))
    agent_id=${AGENT_ID:-agent-beursplein}
    token=${TOKEN:-bench-token-0123456789}
    name=${spec%%=*}
    rest=${spec#*=}
    binary=${rest%%@*}
    envs=""
    [[ $rest == *@* ]] && envs=${rest#*@}
    names+=("$name")
    bins[$name]=$binary
    cat > "$work/$name.json" <<EOF
{
  "Agent": {
    "Site": { "Id": "${SITE:-beursplein}", "Kind": "hotspot", "AgentId": "${agent_id//\{n\}/$place}" },
    "Noc": { "Url": "${NOC_URL:-https://127.0.0.1:9/}", "Token": "${token//\{n\}/$place}", "CaCertificateFile": "${NOC_CA:-}" },
    "Polling": { "IntervalSeconds": 30, "Devices": [
      { "Name": "r0", "Address": "127.0.0.1:20970", "Community": "public" },
      { "Name": "r1", "Address": "127.0.0.1:20971", "Community": "public" } ] },
    "Queue": { "Folder": "$work/queue-$name" }
  }
}
EOF
    # shellcheck disable=SC2086
    env ${envs//,/ } /usr/bin/time -v -o "$work/$name.time" timeout -s TERM "$seconds" "$binary" --config "$work/$name.json" \
        > "$work/$name.out" 2>&1 &
done
sleep 1
for name in "${names[@]}"; do
    exe=$(realpath "$(grep -o '^[^@]*' <<< "${bins[$name]}")")
    pids[$name]=$(pgrep -f -- "--config $work/$name.json" | while read -r p; do
        [[ $(readlink /proc/"$p"/exe) == "$exe" ]] && echo "$p"; done | head -1)
done
sample() {
    for name in "${names[@]}"; do
        echo "$1 s $name: $(ps -o rss=,pcpu= -p "${pids[$name]}" | awk '{printf "RSS %.1f MB, %s %% CPU", $1/1024, $2}')"
    done
}
sleep 44
sample 45
at=45
for next in 105 165 225 285 345 405 465 525 585; do
    (( next <= seconds - 10 )) || break
    sleep $((next - at))
    sample "$next"
    at=$next
done
for name in "${names[@]}"; do
    "$(dirname "$0")/smaps-summary.sh" "${pids[$name]}" > "$work/$name.smaps"
    awk -v n="$name" '/^(Rss|Pss_Anon|Pss_File|Anonymous):/ {printf "%s %s %.1f MB\n", n, $1, $2/1024}' /proc/"${pids[$name]}"/smaps_rollup
    echo "$name threads: $(ls /proc/"${pids[$name]}"/task | wc -l)"
done
echo "load at $at s: $(cut -d' ' -f1-3 /proc/loadavg)"
wait
for name in "${names[@]}"; do
    awk -v n="$name" -F': ' '/Maximum resident/ {printf "%s max RSS %.1f MB", n, $2/1024} /User time/ {u=$2} /System time/ {s=$2}
        /Exit status/ {printf ", CPU %.2f s (user %s, sys %s), exit %s\n", u+s, u, s, $2}' "$work/$name.time"
done
