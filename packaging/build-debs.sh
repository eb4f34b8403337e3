#!/usr/bin/env bash
# Builds the Debian packages of the platform from `dotnet publish`:
#   noc-server, captive-portal  self-contained .NET (no runtime needed on the machine), in /opt/<name>
#   edge-agent                  Native AOT, one binary in /opt/edge-agent
# each with its system user, its hardened systemd unit (packaging/<name>/<name>.service, the agent's from
# edge-agent/EdgeAgent/deploy) and its configuration under /etc/<name> (written by the ansible roles; the
# services read it as appsettings.Production.json, a link in /opt/<name>, so the operators' command line reads
# the same file). Logs go to the journal.
# Usage: packaging/build-debs.sh [--arch amd64|arm64] [--out DIR] [--version X.Y.Z] [PACKAGE...]
#   arm64 needs `apt-get install -y clang lld gcc-aarch64-linux-gnu` for the agent (docs/benchmarks.md).
set -euo pipefail
cd "$(dirname "$0")/.."
arch=amd64 out=artifacts/debs version=${PACKAGE_VERSION:-0.1.0}
packages=()
while [ $# -gt 0 ]; do
  case $1 in
    --arch) arch=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    --version) version=$2; shift 2 ;;
    -h|--help) sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    noc-server|captive-portal|edge-agent) packages+=("$1"); shift ;;
    *) echo "build-debs.sh: unknown argument '$1' (see --help)" >&2; exit 64 ;;
  esac
done
[ ${#packages[@]} -gt 0 ] || packages=(noc-server captive-portal edge-agent)
case $arch in
  amd64) rid=linux-x64 aot_flags=() ;;
  arm64) rid=linux-arm64 aot_flags=(-p:CppCompilerAndLinker=clang -p:ObjCopyName=aarch64-linux-gnu-objcopy) ;;
  *) echo "build-debs.sh: --arch is amd64 or arm64, not '$arch'" >&2; exit 64 ;;
esac
if [ "$arch" = arm64 ] && [[ " ${packages[*]} " == *" edge-agent "* ]]; then
  # The agent's Native AOT cross-link: clang and lld, with the arm64 libc, objcopy and sysroot of Debian's cross gcc.
  for tool in clang ld.lld aarch64-linux-gnu-objcopy aarch64-linux-gnu-gcc; do
    command -v "$tool" >/dev/null || { echo "build-debs.sh: --arch arm64 needs $tool: apt-get install -y clang lld gcc-aarch64-linux-gnu" >&2; exit 69; }
  done
fi
mkdir -p "$out"
out=$(cd "$out" && pwd)
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

# build NAME PROJECT DESCRIPTION DEPENDS UNIT ENTRY PUBLISH-FLAGS...
build() {
  local name=$1 project=$2 description=$3 depends=$4 unit=$5 entry=$6; shift 6
  local root; root=$(mktemp -d)
  trap 'rm -rf "$root" "$root.log"' RETURN
  chmod 0755 "$root"
  echo "build-debs: $name $version $arch"
  dotnet publish "$project" -c Release -r "$rid" -o "$root/opt/$name" -nologo -clp:ErrorsOnly -warnaserror \
    -p:DebugType=none "$@" >"$root.log" || { cat "$root.log" >&2; return 1; }
  rm -f "$root/opt/$name/"*.pdb "$root/opt/$name/"*.dbg "$root/opt/$name/"*.xml
  [ -x "$root/opt/$name/$entry" ] || { echo "build-debs: $name: no $entry in the publish output" >&2; return 1; }
  # The services read /etc/NAME/appsettings.json as their appsettings.Production.json (Production is .NET's
  # default environment), the service and its command line alike; the agent takes --config (its unit).
  [ "$name" = edge-agent ] || ln -s "/etc/$name/appsettings.json" "$root/opt/$name/appsettings.Production.json"
  install -D -m 0644 "$unit" "$root/lib/systemd/system/$name.service"
  install -d -m 0755 "$root/DEBIAN" "$root/etc/$name"
  cat >"$root/DEBIAN/control" <<CONTROL
Package: $name
Version: $version
Architecture: $arch
Maintainer: Urbizone network operations <noc@urbizone.example>
Depends: $depends
Section: net
Priority: optional
Installed-Size: $(du -sk "$root" | cut -f1)
Description: $description
CONTROL
  sed "s/@NAME@/$name/g" packaging/maintainer/postinst >"$root/DEBIAN/postinst"
  sed "s/@NAME@/$name/g" packaging/maintainer/prerm >"$root/DEBIAN/prerm"
  sed "s/@NAME@/$name/g" packaging/maintainer/postrm >"$root/DEBIAN/postrm"
  chmod 0755 "$root/DEBIAN/postinst" "$root/DEBIAN/prerm" "$root/DEBIAN/postrm"
  dpkg-deb --root-owner-group -Zgzip -z3 --build "$root" "$out/${name}_${version}_${arch}.deb" >/dev/null
  echo "build-debs: $out/${name}_${version}_${arch}.deb"
}

dotnet_deps="libc6, libgcc-s1, libstdc++6, libicu72 | libicu74 | libicu76, libssl3 | libssl3t64, zlib1g, ca-certificates"
for p in "${packages[@]}"; do
  case $p in
    noc-server) build noc-server noc-server/NocServer/NocServer.csproj \
      "Urbizone NOC server: ingest, time series, status, alarms, dashboards" "$dotnet_deps" \
      packaging/noc-server/noc-server.service Network.Noc --self-contained ;;
    captive-portal) build captive-portal captive-portal/CaptivePortal/CaptivePortal.csproj \
      "Urbizone captive portal: web portal and RADIUS server" "$dotnet_deps" \
      packaging/captive-portal/captive-portal.service Network.CaptivePortal --self-contained ;;
    edge-agent) build edge-agent edge-agent/EdgeAgent/EdgeAgent.csproj \
      "Urbizone edge agent: SNMP polling, uplink probes, store-and-forward to the NOC (Native AOT)" \
      "libc6, libssl3 | libssl3t64" edge-agent/EdgeAgent/deploy/edge-agent.service edge-agent "${aot_flags[@]}" ;;
  esac
done
