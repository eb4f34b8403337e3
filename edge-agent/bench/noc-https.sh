#!/bin/bash
# The real NOC as the agents' peer over HTTPS (HTTP/2 by ALPN), for steady-rss.sh's "NOC reachable" runs.
# Usage: noc-https.sh FOLDER PORT   (after a build of noc-server/NocServer in Release)
# Makes a private CA and a certificate for 127.0.0.1 in FOLDER, registers the agent "agent-bench" with the token
# "bench-token-0123456789abcdef" and starts Network.Noc on https://127.0.0.1:PORT; prints the NOC's PID and the CA file.
# Then: NOC_URL=https://127.0.0.1:PORT/ NOC_CA=FOLDER/ca.pem SITE=hs-beursplein AGENT_ID=agent-bench \
#       TOKEN=bench-token-0123456789abcdef steady-rss.sh 150 ...
# Several binaries in one run: AGENT_ID='agent-b{n}' TOKEN='bench-token-0123456789abcdef-{n}' (agent-b1..agent-b6).
# A fresh FOLDER (a fresh NOC) for each run: the NOC keeps each agent's last sequence, and steady-rss.sh's new queue
# folders start again from 1, so a reused NOC answers their first batches 409 (already stored) instead of storing them.
set -euo pipefail
folder=$1
port=$2
root=$(cd "$(dirname "$0")/../.." && pwd)
noc="$root/noc-server/NocServer/bin/Release/net10.0/Network.Noc.dll"
mkdir -p "$folder"
cd "$folder"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 -subj "/CN=bench CA" \
    -keyout ca.key -out ca.pem 2> /dev/null
openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj "/CN=127.0.0.1" -keyout noc.key -out noc.csr 2> /dev/null
printf 'subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n' > noc.ext
openssl x509 -req -in noc.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 2 -extfile noc.ext -out noc.pem 2> /dev/null
export Storage__DataDirectory="$folder/data"
export Inventory__SeedFile="$root/noc-server/NocServer/Inventory/demo-sites.json"
export Logging__LogLevel__Default=Warning
echo "bench-token-0123456789abcdef" | dotnet "$noc" agents add agent-bench --token-stdin > agents.log 2>&1
for n in 1 2 3 4 5 6; do
    echo "bench-token-0123456789abcdef-$n" | dotnet "$noc" agents add "agent-b$n" --token-stdin >> agents.log 2>&1
done
Kestrel__Endpoints__Https__Url="https://127.0.0.1:$port" \
Kestrel__Endpoints__Https__Certificate__Path="$folder/noc.pem" \
Kestrel__Endpoints__Https__Certificate__KeyPath="$folder/noc.key" \
    setsid dotnet "$noc" > noc.log 2>&1 < /dev/null &
echo "$! $folder/ca.pem"
