#!/usr/bin/env bash
# Prints the path of a Debian 12 root file system tarball that boots systemd (for systemd-nspawn), building it
# with debootstrap the first time (about 4.5 minutes) and reusing it after: the cache key is this file's package
# list, so changing the list builds a new one. Root only.
# Usage: ansible/ci/rootfs.sh   (NETWORK_CI_CACHE=/var/tmp/network-ci by default)
# The machines have no route to a Debian mirror, so the engines' Debian packages the roles install (postgresql and
# python3-psycopg2 for the postgresql role, victoria-metrics) are in the image already, their services disabled:
# the roles' apt tasks find them installed, and the roles enable and start them where the inventory says.
set -euo pipefail
packages=systemd,systemd-sysv,dbus,openssh-server,python3,python3-apt,iproute2,ca-certificates,libicu72,libssl3
engines=postgresql,python3-psycopg2,victoria-metrics
packages=$packages,$engines
cache=${NETWORK_CI_CACHE:-/var/tmp/network-ci}
key=$(printf '%s' "$packages" | sha256sum | cut -c1-12)
tarball=$cache/rootfs-bookworm-$key.tar
if [ -s "$tarball" ]; then echo "$tarball"; exit 0; fi

mkdir -p "$cache"
work=$(mktemp -d "$cache/build.XXXXXX")
trap 'rm -rf "$work"' EXIT
# The host's own mirror (a Debian 12 machine), else Debian's.
mirror=$(awk '/^URIs:/{print $2; exit}' /etc/apt/sources.list.d/debian.sources 2>/dev/null || true)
mirror=${mirror:-http://deb.debian.org/debian}
debootstrap --variant=minbase --include="$packages" bookworm "$work/rootfs" "$mirror" >"$work/debootstrap.log" 2>&1 \
  || { tail -20 "$work/debootstrap.log" >&2; exit 1; }
chroot "$work/rootfs" systemctl disable postgresql.service victoria-metrics.service >/dev/null 2>&1
rm -rf "$work/rootfs/var/cache/apt/archives/"*.deb
tar -C "$work/rootfs" -cf "$work/rootfs.tar" .
mv "$work/rootfs.tar" "$tarball"   # atomic: a run that stopped half way leaves no tarball
echo "$tarball"
