#!/usr/bin/env bash
# Starts the portal (a Release publish) with RADIUS and the UAM flow on 127.0.0.1, runs registration.py against it
# as a CoovaChilli gateway would, and stops it. Limits meant for strangers are raised: this measures the portal itself.
# Usage: bench/portal/registration.sh [SAMPLES] [WORKERS] [SECONDS]
#   after: dotnet publish captive-portal/CaptivePortal -c Release -o /tmp/pb/portal
set -euo pipefail
cd "$(dirname "$0")"
T=$(mktemp -d); WEB=28081; AUTH=28812; DLL=${PORTAL_DLL:-/tmp/pb/portal/Network.CaptivePortal.dll}
dotnet "$DLL" --urls=http://127.0.0.1:$WEB --Storage:DataDirectory="$T" --Logging:LogLevel:Default=Warning \
  --Radius:BindAddress=127.0.0.1 --Radius:AuthPort=$AUTH --Radius:AcctPort=$((AUTH + 1)) \
  --Radius:Clients:0:Name=bench --Radius:Clients:0:Address=127.0.0.0/8 --Radius:Clients:0:Secret=testing123 \
  --Gateway:UamSecret=bench-uam-secret --Portal:RegistrationBurst=100000 \
  --Portal:RateLimits:RegistrationsPerIp=100000 --Portal:RateLimits:RegistrationsPerDevice=10000 >"$T/portal.log" 2>&1 &
pid=$!
trap 'kill $pid; rm -rf "$T"' EXIT
for _ in $(seq 1 100); do curl -fs "http://127.0.0.1:$WEB/readyz" >/dev/null && break; sleep 0.2; done
python3 registration.py "http://127.0.0.1:$WEB" "127.0.0.1:$AUTH" bench-uam-secret testing123 "${1:-30}" "${2:-4}" "${3:-20}"
