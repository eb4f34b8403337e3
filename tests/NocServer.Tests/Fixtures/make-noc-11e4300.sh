#!/bin/bash
# Makes a NOC store with the code before the change (commit 11e4300): users and agents through its command line, sites
# through its seed file and its inventory API, devices, alarms and series through its ingest API, an acknowledgement
# through its alarms API.
set -euo pipefail
# Then: PRAGMA wal_checkpoint(TRUNCATE) (below), and copy $DATA/noc.db to tests/NocServer.Tests/Fixtures/noc-11e4300.db.
OLD=${OLD:-/tmp/old-noc/noc-server/NocServer}   # a worktree of commit 11e4300, built with: dotnet build -c Release noc-server/NocServer
DLL=$OLD/bin/Release/net10.0/Network.Noc.dll
DATA=${DATA:-/tmp/legacy-noc/data}
rm -rf $DATA; mkdir -p $DATA
cd $OLD
noc() { dotnet $DLL "$@" --Storage:DataDirectory=$DATA; }
echo 'the admin password 1' | noc users add ada --role admin --password-stdin --create-store
echo 'the engineer password 1' | noc users add eng --role engineer --password-stdin
echo 'noc_legacy_token_of_the_edge_agent_0001' | noc agents add edge-legacy --site hs-beursplein --token-stdin
noc agents add edge-revoked >/dev/null
noc agents revoke edge-revoked
PORT=18731
dotnet $DLL --urls=http://127.0.0.1:$PORT --Storage:DataDirectory=$DATA --Inventory:SeedFile=$OLD/Inventory/demo-sites.json \
  --Status:RaiseAfter=1 --Status:ClearAfter=1 --Logging:LogLevel:Default=Warning > /tmp/legacy-noc/noc.log 2>&1 &
PID=$!
for i in $(seq 1 300); do curl -sf http://127.0.0.1:$PORT/readyz >/dev/null && break; sleep 0.2; done
NOW=$(date -u +%Y-%m-%dT%H:%M:%SZ)
ingest() { curl -sf -X POST http://127.0.0.1:$PORT/api/v1/ingest -H 'Authorization: Bearer noc_legacy_token_of_the_edge_agent_0001' \
  -H 'Content-Type: application/json' -d "$1"; echo; }
ingest '{"agentId":"edge-legacy","sequence":1,"sentAt":"'$NOW'","samples":[
 {"site":"hs-beursplein","device":"hs-beursplein","metric":"if_in_bps","timestamp":"'$NOW'","value":4242},
 {"site":"hs-beursplein","device":"hs-beursplein-ap-legacy","metric":"device_reachable","timestamp":"'$NOW'","value":0},
 {"site":"hs-flageyplein","device":"hs-flageyplein","metric":"device_reachable","timestamp":"'$NOW'","value":0}]}'
ingest '{"agentId":"edge-legacy","sequence":2,"sentAt":"'$NOW'","samples":[
 {"site":"hs-beursplein","device":"hs-beursplein","metric":"if_in_bps","timestamp":"'$NOW'","value":4343}]}'
JAR=/tmp/legacy-noc/cookies
login() {
  rm -f $JAR
  TOKEN=$(curl -sf -c $JAR http://127.0.0.1:$PORT/login | grep -o 'name="__RequestVerificationToken" value="[^"]*"' | sed 's/.*value="//; s/"$//')
  curl -sf -b $JAR -c $JAR -o /dev/null -w '%{http_code}\n' -X POST http://127.0.0.1:$PORT/login \
    --data-urlencode "name=$1" --data-urlencode "password=$2" --data-urlencode "__RequestVerificationToken=$TOKEN" --data-urlencode "returnUrl=/"
}
login ada 'the admin password 1'
curl -sf -b $JAR -X PUT http://127.0.0.1:$PORT/api/v1/inventory/sites/fts-legacy -H 'Content-Type: application/json' -d '{
 "name":"Basisschool Legacy","kind":"school","commune":"Jette","address":"Kerkstraat 9","latitude":50.877,"longitude":4.326,
 "lifecycle":"installing","plannedOn":"2026-01-05","installedOn":"2026-02-28","committedMbps":300,
 "devices":[{"name":"fts-legacy-rtr","role":"uplink"},{"name":"fts-legacy-ap1","role":"access"}]}'; echo
login eng 'the engineer password 1'
ALARMS=$(curl -sf -b $JAR "http://127.0.0.1:$PORT/api/v1/alarms?state=all")
echo "$ALARMS" | jq -c '.[] | {id, site, device, state}'
FLAGEY=$(echo "$ALARMS" | jq '.[] | select(.site == "hs-flageyplein") | .id')
curl -sf -b $JAR -X POST http://127.0.0.1:$PORT/api/v1/alarms/acknowledge -H 'Content-Type: application/json' \
  -d '{"ids":['$FLAGEY'],"note":"fibre cut, contractor called"}'; echo
kill -TERM $PID; wait $PID || true
sqlite3 $DATA/noc.db 'PRAGMA wal_checkpoint(TRUNCATE);' >/dev/null
ls -la $DATA
