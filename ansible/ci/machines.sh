#!/usr/bin/env bash
# Boots Debian machines with systemd (systemd-nspawn) on a bridge of their own, for running the playbooks for
# real; root only, on a host without systemd as PID 1 too. Each machine is an overlay over the cached root file
# system (ansible/ci/rootfs.sh, unpacked once next to its tarball and shared read-only by every machine): only what
# a machine writes lands in WORKDIR, so booting and removing three machines copies no 700 MB trees. Reached by SSH
# as root with a key made here.
#   machines.sh up WORKDIR NAME=ADDRESS...   boots them; prints nothing; WORKDIR/key is the SSH key
#   machines.sh down WORKDIR                 powers them off, removes the bridge and WORKDIR
# The bridge is $NETWORK_CI_BRIDGE (nwci0) with the host at .1 of $NETWORK_CI_NET (10.99.0), the machines /24.
set -euo pipefail
bridge=${NETWORK_CI_BRIDGE:-nwci0}
net=${NETWORK_CI_NET:-10.99.0}
command=${1:?usage: machines.sh up|down WORKDIR [NAME=ADDRESS...]}
work=${2:?usage: machines.sh up|down WORKDIR [NAME=ADDRESS...]}
shift 2

wait_for() { # wait_for SECONDS DESCRIPTION COMMAND...: polls until the command succeeds
  local deadline=$((SECONDS + $1)) what=$2; shift 2
  until "$@" >/dev/null 2>&1; do
    [ $SECONDS -lt $deadline ] || { echo "machines.sh: $what did not happen within the time" >&2; return 1; }
    sleep 0.2
  done
}

down() {
  for pidfile in "$work"/*.pid; do
    [ -e "$pidfile" ] || continue
    pid=$(cat "$pidfile")
    # SIGTERM: nspawn asks the machine's systemd for an orderly poweroff (about 2 s).
    kill -TERM "$pid" 2>/dev/null || true
    wait_for 30 "poweroff of $(basename "$pidfile" .pid)" bash -c "! kill -0 $pid" || kill -KILL "$pid" 2>/dev/null || true
    rm -f "$pidfile"
  done
  for merged in "$work"/*.root; do
    [ -d "$merged" ] || continue
    umount "$merged" 2>/dev/null || umount -l "$merged" 2>/dev/null || true
  done
  ip link del "$bridge" 2>/dev/null || true
  rm -rf "$work"
}

case $command in
  down) down; exit 0 ;;
  up) ;;
  *) echo "machines.sh: up or down, not '$command'" >&2; exit 64 ;;
esac

tarball=$("$(dirname "$0")/rootfs.sh")
base=${tarball%.tar}
if [ ! -d "$base" ]; then
  # Unpacked once per root file system; a run that stopped half way leaves only the .partial folder.
  rm -rf "$base.partial.$$"
  mkdir -p "$base.partial.$$"
  tar -C "$base.partial.$$" -xf "$tarball"
  mv -T "$base.partial.$$" "$base" 2>/dev/null || rm -rf "$base.partial.$$"
fi
mkdir -p "$work"
[ -f "$work/key" ] || ssh-keygen -q -t ed25519 -N '' -C network-ci -f "$work/key"
if ! ip link show "$bridge" >/dev/null 2>&1; then
  ip link add "$bridge" type bridge
  ip addr add "$net.1/24" dev "$bridge"
fi
ip link set "$bridge" up
dns=$(awk '/^nameserver/{print $2; exit}' /etc/resolv.conf)

for spec in "$@"; do
  name=${spec%%=*} address=${spec#*=}
  root=$work/$name.root
  mkdir -p "$root" "$work/$name.upper" "$work/$name.overlay-work"
  mount -t overlay overlay -o "lowerdir=$base,upperdir=$work/$name.upper,workdir=$work/$name.overlay-work" "$root"
  echo "$name" >"$root/etc/hostname"
  install -d -m 0700 "$root/root/.ssh"
  install -m 0600 "$work/key.pub" "$root/root/.ssh/authorized_keys"
  cat >"$root/etc/systemd/network/80-ci.network" <<NETWORK
[Match]
Name=host0

[Network]
Address=$address/24
Gateway=$net.1
DNS=${dns:-$net.1}
NETWORK
  chroot "$root" systemctl enable systemd-networkd.service ssh.service >/dev/null 2>&1
  # Own process group, outliving this script; `down` stops it.
  setsid systemd-nspawn -b -D "$root" --machine="$name" --network-bridge="$bridge" --register=no --keep-unit \
    --console=read-only >"$work/$name.log" 2>&1 </dev/null &
  echo $! >"$work/$name.pid"
done
for spec in "$@"; do
  name=${spec%%=*} address=${spec#*=}
  wait_for 120 "SSH on $name ($address)" timeout 1 bash -c "</dev/tcp/$address/22" \
    || { tail -20 "$work/$name.log" >&2; exit 1; }
done
