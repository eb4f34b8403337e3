#!/usr/bin/env bash
# Runs every test of Network.sln against the real peers, installing the peers first when they are missing.
# Usage: ./test.sh [extra dotnet test arguments, e.g. --filter FullyQualifiedName~Snmp]
set -euo pipefail
cd "$(dirname "$0")"

# executable:Debian package. The tests start each peer themselves on 127.0.0.1 and free ports; the deployment
# tests (tests/Deployment.Tests) boot Debian machines with debootstrap and systemd-nspawn and run ansible on them.
peers=(snmpd:snmpd snmpget:snmp snmpbulkwalk:snmp radclient:freeradius-utils freeradius:freeradius
       victoria-metrics:victoria-metrics chromium:chromium promtool:prometheus iperf3:iperf3
       debootstrap:debootstrap systemd-nspawn:systemd-container ansible-playbook:ansible ansible-lint:ansible-lint
       ssh:openssh-client dpkg-deb:dpkg)
missing=()
for pair in "${peers[@]}"; do
  exe=${pair%%:*} pkg=${pair##*:}
  if ! command -v "$exe" >/dev/null 2>&1 && [ ! -x "/usr/sbin/$exe" ]; then missing+=("$pkg"); fi
done
# The PostgreSQL server's binaries are not on PATH (the store tests start one with initdb and postgres).
compgen -G "/usr/lib/postgresql/*/bin/postgres" >/dev/null || missing+=(postgresql)
if [ ${#missing[@]} -gt 0 ]; then
  sudo=""; [ "$(id -u)" = 0 ] || sudo=sudo
  echo "installing test peers: ${missing[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
fi

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
dotnet build Network.sln -warnaserror -nologo -clp:ErrorsOnly

log=$(mktemp)
status=0
if [ $# -gt 0 ]; then
  dotnet test Network.sln --no-build --nologo "$@" 2>&1 | tee "$log" || status=$?
else
  # The shaped-link throughput tests hold the agent's measured rate against iperf3's own client on a link shaped with
  # tc: they need the cores to themselves (the other test assemblies run in parallel), so they run last, alone.
  alone=ShapedLinkThroughputTests
  dotnet test Network.sln --no-build --nologo --filter "FullyQualifiedName!~$alone" 2>&1 | tee "$log" || status=$?
  dotnet test tests/EdgeAgent.Tests --no-build --nologo --filter "FullyQualifiedName~$alone" 2>&1 | tee -a "$log" || status=$?
fi

# One summary line over all test assemblies ("N passed, N failed, N skipped").
awk '/^(Passed|Failed)! +- +Failed:/ {
       for (i = 1; i <= NF; i++) { gsub(",", "", $(i+1)); if ($i == "Failed:") f += $(i+1); if ($i == "Passed:") p += $(i+1); if ($i == "Skipped:") s += $(i+1) }
     }
     END { printf "Tests: %d passed, %d failed, %d skipped\n", p, f, s }' "$log"
rm -f "$log"
exit $status
