#!/usr/bin/env bash
# Builds and starts the whole platform on this machine: NOC, captive portal, the simulated fleet and an edge
# agent, all on embedded storage under .run/. Ctrl-C stops everything.
# Ports can be moved with NOC_PORT, PORTAL_PORT, RADIUS_AUTH_PORT, AGENT_METRICS_PORT, FLEET_BASE_PORT, FLEET_DEVICES,
# FLEET_CONTROL_PORT.
set -euo pipefail
cd "$(dirname "$0")"
root=$PWD
NOC_PORT=${NOC_PORT:-8080}
PORTAL_PORT=${PORTAL_PORT:-8081}
AGENT_METRICS_PORT=${AGENT_METRICS_PORT:-9464}
RADIUS_AUTH_PORT=${RADIUS_AUTH_PORT:-1812}
RADIUS_SECRET=${RADIUS_SECRET:-demo-gateway-secret}
FLEET_BASE_PORT=${FLEET_BASE_PORT:-20161}
FLEET_DEVICES=${FLEET_DEVICES:-24}
FLEET_CONTROL_PORT=${FLEET_CONTROL_PORT:-20160}
NOC_ADMIN_PASSWORD=${NOC_ADMIN_PASSWORD:-urbizone-demo-admin}
AGENT_TOKEN=demo-agent-token-change-me   # the token in edge-agent/EdgeAgent/samples/run-fleet.json
PORTAL_AGENT_TOKEN=demo-portal-token-change-me
state="$root/.run"
mkdir -p "$state/data/noc" "$state/data/portal" "$state/logs"

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
services=(noc-server/NocServer captive-portal/CaptivePortal edge-agent/EdgeAgent tools/FleetSimulator)
echo "building ${services[*]} ..."
for project in "${services[@]}"; do dotnet build "$project" -c Release -nologo -clp:ErrorsOnly >/dev/null; done

pids=()
stop() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap stop EXIT INT TERM

start() { # name, then the command; output goes to .run/logs/NAME.log
  local name=$1; shift
  "$@" >"$state/logs/$name.log" 2>&1 &
  pids+=($!)
}

bin() { echo "$root/$1/bin/Release/net10.0/$2.dll"; }

# The NOC's first admin and the demo agent, made from the command line as an operator does (again on every run:
# the admin's password is reset, an agent that exists already is kept).
noc() { dotnet "$(bin noc-server/NocServer Network.Noc)" "$@" --Storage:DataDirectory="$state/data/noc"; }
echo "$NOC_ADMIN_PASSWORD" | noc users add admin --role admin --password-stdin --replace --create-store >/dev/null
echo "$AGENT_TOKEN" | noc agents add agent-demo-fleet --token-stdin >/dev/null 2>&1 || true
echo "$PORTAL_AGENT_TOKEN" | noc agents add captive-portal --token-stdin >/dev/null 2>&1 || true

start noc dotnet "$(bin noc-server/NocServer Network.Noc)" --contentRoot "$root/noc-server/NocServer" \
  --urls "http://127.0.0.1:$NOC_PORT" --Storage:DataDirectory="$state/data/noc" \
  --Inventory:SeedFile="$root/noc-server/NocServer/Inventory/demo-sites.json"
# The portal's settings go in a file that the service and its operators' command line both read (--config), so
# `clients list` and `users ...` see the gateways and the data folder the running portal was given. It holds secrets: 0600.
portal_config="$state/portal.json"
(umask 077; cat >"$portal_config" <<EOF
{
  "Urls": "http://127.0.0.1:$PORTAL_PORT",
  "Storage": { "DataDirectory": "$state/data/portal" },
  "Radius": {
    "BindAddress": "127.0.0.1", "AuthPort": $RADIUS_AUTH_PORT, "AcctPort": $((RADIUS_AUTH_PORT + 1)),
    "Clients": [ { "Name": "demo-gateways", "Address": "127.0.0.0/8", "Secret": "$RADIUS_SECRET" } ]
  },
  "Noc": { "Url": "http://127.0.0.1:$NOC_PORT/", "Token": "$PORTAL_AGENT_TOKEN", "AgentId": "captive-portal" }
}
EOF
)
portal_cli="dotnet $(bin captive-portal/CaptivePortal Network.CaptivePortal) --config $portal_config"
start portal dotnet "$(bin captive-portal/CaptivePortal Network.CaptivePortal)" --contentRoot "$root/captive-portal/CaptivePortal" \
  --config "$portal_config"
# Each site's uplink probe (one per site in run-fleet.json) measures the NOC, wherever NOC_PORT put it.
agent_config="$root/edge-agent/EdgeAgent/samples/run-fleet.json"
probe_ports=()
for i in $(seq 0 $(($(grep -c '"Name": "noc"' "$agent_config") - 1))); do probe_ports+=("--Agent:Probes:Targets:$i:Port=$NOC_PORT"); done
# Its devices are the simulator's, device i at FLEET_BASE_PORT + i, wherever FLEET_BASE_PORT put them.
device_addresses=()
for i in $(seq 0 $(($(grep -c '"Address": "127.0.0.1:' "$agent_config") - 1))); do
  device_addresses+=("--Agent:Polling:Devices:$i:Address=127.0.0.1:$((FLEET_BASE_PORT + i))")
done
start agent dotnet "$(bin edge-agent/EdgeAgent edge-agent)" --config "$agent_config" \
  --Agent:Queue:Folder="$state/data/agent/queue" --Agent:Noc:Url="http://127.0.0.1:$NOC_PORT/" \
  --Agent:Metrics:Enabled=true --Agent:Metrics:Port="$AGENT_METRICS_PORT" "${probe_ports[@]}" "${device_addresses[@]}"
start fleet dotnet "$(bin tools/FleetSimulator Network.FleetSimulator)" --devices "$FLEET_DEVICES" --base-port "$FLEET_BASE_PORT" \
  --control-port "$FLEET_CONTROL_PORT"

wait_for() { # url, name
  for _ in $(seq 1 100); do curl -fsS "$1" >/dev/null 2>&1 && return 0; sleep 0.2; done
  echo "$2 did not come up; see $state/logs/" >&2; return 1
}
wait_for "http://127.0.0.1:$NOC_PORT/healthz" "NOC"
wait_for "http://127.0.0.1:$PORTAL_PORT/healthz" "captive portal"
wait_for "http://127.0.0.1:$AGENT_METRICS_PORT/metrics" "edge agent"
for _ in $(seq 1 100); do grep -q '^serving' "$state/logs/fleet.log" 2>/dev/null && break; sleep 0.2; done
grep -q '^serving' "$state/logs/fleet.log" || { echo "the fleet simulator did not come up; see $state/logs/fleet.log" >&2; exit 1; }

cat <<EOT

  NOC dashboard     http://127.0.0.1:$NOC_PORT/          sign in as admin / $NOC_ADMIN_PASSWORD (health /healthz /readyz, metrics /metrics)
                    the demo inventory: 17 hotspots, 19 schools, 3 planned sites; live status as the agent reports
                    operators' commands (--help lists them): dotnet $(bin noc-server/NocServer Network.Noc) users list --Storage:DataDirectory=$state/data/noc
  Captive portal    http://127.0.0.1:$PORTAL_PORT/          (health /healthz /readyz, metrics /metrics)
                    started as: dotnet $(bin captive-portal/CaptivePortal Network.CaptivePortal) --contentRoot $root/captive-portal/CaptivePortal --config $portal_config
                    operators:  $portal_cli --help   (clients list, users ..., sessions ...: the same settings file)
  RADIUS            udp 127.0.0.1:$RADIUS_AUTH_PORT (auth) and $((RADIUS_AUTH_PORT + 1)) (accounting), client 127.0.0.0/8, secret $RADIUS_SECRET
                    add a user: echo 'a-long-password' | $portal_cli users add marie --password-stdin
                    then:       echo 'User-Name=marie,User-Password=a-long-password,Message-Authenticator=0x00' | radclient 127.0.0.1:$RADIUS_AUTH_PORT auth $RADIUS_SECRET
  Edge agent        http://127.0.0.1:$AGENT_METRICS_PORT/metrics (polls the fleet every 30 s and sends to the NOC; its queue holds everything while the NOC is down)
  Simulated fleet   $FLEET_DEVICES routers, SNMP on udp 127.0.0.1:$FLEET_BASE_PORT-$((FLEET_BASE_PORT + FLEET_DEVICES - 1)) (list: $state/logs/fleet.log)
                    try: dotnet $(bin edge-agent/EdgeAgent edge-agent) snmp walk -v2c -c public 127.0.0.1:$FLEET_BASE_PORT 1.3.6.1.2.1.1
                    cut a device's uplink to watch an alarm: dotnet $(bin tools/FleetSimulator Network.FleetSimulator) control --port $FLEET_CONTROL_PORT down 3
                    (up 3 mends it; DEVICE is the index or the sysName; or: echo 'down 3' | nc 127.0.0.1 $FLEET_CONTROL_PORT)
EOT
cat <<EOT

  data in $state/data, logs in $state/logs. Ctrl-C stops everything.
EOT
wait
