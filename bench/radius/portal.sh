#!/usr/bin/env bash
# Starts the portal's RADIUS server for the benchmark: a fresh data folder, $USERS users imported with the passwords that
# freeradius.sh gives FreeRADIUS (user0001 / pw-0001-secret ...), auth on 127.0.0.1:$AUTH_PORT, accounting on $AUTH_PORT+1,
# client 127.0.0.0/8 with secret testing123, warning-level logs. Prints the PID once the listeners answer.
# A folder that already holds portal.db keeps its users (the import costs one Argon2id hash a user, about 40 s for 500).
# Usage: bench/radius/portal.sh FOLDER [AUTH_PORT] [USERS] [PORTAL_DLL]; PORTAL_ARGS adds settings (--Key=value ...).
#   PORTAL_DLL defaults to a Release publish: dotnet publish captive-portal/CaptivePortal -c Release -o /tmp/rb/portal
set -euo pipefail
T=$1; AUTH_PORT=${2:-21812}; USERS=${3:-500}; DLL=${4:-/tmp/rb/portal/Network.CaptivePortal.dll}
mkdir -p "$T/data"
settings=(--Storage:DataDirectory="$T/data" --Radius:BindAddress=127.0.0.1 --Radius:AuthPort="$AUTH_PORT"
  --Radius:AcctPort=$((AUTH_PORT + 1)) --Radius:Clients:0:Name=bench --Radius:Clients:0:Address=127.0.0.0/8
  --Radius:Clients:0:Secret=testing123 --Logging:LogLevel:Default=Warning ${PORTAL_ARGS:-})
if [ ! -f "$T/data/portal.db" ]; then
  for i in $(seq 1 "$USERS"); do printf 'user%04d pw-%04d-secret\n' "$i" "$i"; done \
    | dotnet "$DLL" users import --stdin --create-store "${settings[@]}" >"$T/import.log"
fi
dotnet "$DLL" --urls=http://127.0.0.1:0 "${settings[@]}" >"$T/portal.log" 2>&1 &
pid=$!
for _ in $(seq 1 100); do
  if echo 'Message-Authenticator = 0x00' | radclient -q -t 1 -r 1 127.0.0.1:"$AUTH_PORT" status testing123 >/dev/null 2>&1; then
    echo "$pid"; exit 0
  fi
  sleep 0.2
done
echo "portal did not answer Status-Server on $AUTH_PORT; see $T/portal.log" >&2; kill "$pid"; exit 1
