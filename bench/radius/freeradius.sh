#!/usr/bin/env bash
# Starts FreeRADIUS 3.2 from Debian as the yardstick, on 127.0.0.1 (auth $AUTH_PORT, acct $AUTH_PORT+1), with a
# private copy of its configuration (COOKBOOK.md) and $USERS users with SSHA2-512 passwords (user0001 / pw-0001-secret ...).
# Prints the PID. Usage: bench/radius/freeradius.sh FOLDER [AUTH_PORT] [USERS]
set -euo pipefail
T=$1; AUTH_PORT=${2:-11812}; USERS=${3:-500}
mkdir -p "$T"
rm -rf "$T/raddb"; cp -a /etc/freeradius/3.0 "$T/raddb"
site="$T/raddb/sites-enabled/default"
python3 - "$site" "$AUTH_PORT" <<'PY'
import re, sys
path, port = sys.argv[1], int(sys.argv[2])
text = open(path).read()
# Keep the IPv4 auth and acct listen sections on loopback ports; drop the IPv6 ones.
blocks = re.split(r'(?m)^listen \{', text)
out = [blocks[0]]
kinds = []
for b in blocks[1:]:
    body, rest = b.split('\n}\n', 1)
    if re.search(r'(?m)^\s*ipv6addr', body):
        out.append(rest); continue
    kind = 'acct' if re.search(r'type\s*=\s*acct', body) else 'auth'
    body = re.sub(r'(?m)^\s*ipaddr\s*=.*$', '\tipaddr = 127.0.0.1', body)
    body = re.sub(r'(?m)^\s*port\s*=.*$', '\tport = %d' % (port if kind == 'auth' else port + 1), body)
    out.append('listen {' + body + '\n}\n' + rest)
open(path, 'w').write(''.join(out))
PY
rm -f "$T/raddb/sites-enabled/inner-tunnel"
sed -i "s|^\s*logdir = .*|logdir = $T|; s|^\s*run_dir = .*|run_dir = $T|; s|^\s*proxy_requests\s*=.*|proxy_requests = no|" "$T/raddb/radiusd.conf"
python3 - "$T/raddb/mods-config/files/authorize" "$USERS" <<'PY'
import base64, hashlib, os, sys
path, users = sys.argv[1], int(sys.argv[2])
lines = []
for i in range(1, users + 1):
    pw = 'pw-%04d-secret' % i
    while True:
        salt = os.urandom(8)
        value = base64.b64encode(hashlib.sha512(pw.encode() + salt).digest() + salt).decode()
        if not value.lower().startswith('0x'):
            break
    lines.append('user%04d SSHA2-512-Password := "%s"' % (i, value))
open(path, 'w').write('\n'.join(lines) + '\n' + open(path).read())
PY
chown -R freerad "$T"
freeradius -f -d "$T/raddb" -l "$T/radius.log" >"$T/stdout.log" 2>&1 &
echo $!
