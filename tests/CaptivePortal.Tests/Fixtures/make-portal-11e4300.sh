#!/usr/bin/env bash
# Makes a portal.db with the portal of commit 11e4300: accounts (one logged in, one locked, one with failed logins),
# sessions and accounting records (open, stopped), through its own command line and RADIUS server (radclient).
set -euo pipefail
# Run from a worktree of that commit: git worktree add /tmp/old-stores-portal 11e4300, then build its CaptivePortal.csproj.
REPO=/tmp/old-stores-portal
DLL=$REPO/captive-portal/CaptivePortal/bin/Debug/net10.0/Network.CaptivePortal.dll
T=/tmp/old-stores-portal-fixture/run; rm -rf "$T"; mkdir -p "$T"
P=$(bash $REPO/bench/radius/portal.sh "$T" 24812 3 "$DLL")
settings=(--Storage:DataDirectory="$T/data" --Radius:Clients:0:Name=bench --Radius:Clients:0:Address=127.0.0.0/8 --Radius:Clients:0:Secret=testing123)
auth() { printf '%s\n' "$1" | radclient -q -t 3 -r 1 127.0.0.1:24812 auth testing123 || true; }
acct() { printf '%s\n' "$1" | radclient -q -t 3 -r 1 127.0.0.1:24813 acct testing123; }
auth 'User-Name = "user0001", User-Password = "pw-0001-secret", Message-Authenticator = 0x00, NAS-Identifier = "hs-legacy", Calling-Station-Id = "00-16-3E-11-22-33"'
for i in 1 2; do auth 'User-Name = "user0002", User-Password = "wrong", Message-Authenticator = 0x00, NAS-Identifier = "hs-legacy", Calling-Station-Id = "00-16-3E-44-55-66"'; done
acct 'User-Name = "user0001", Acct-Status-Type = Start, Acct-Session-Id = "legacy-open", NAS-Identifier = "hs-legacy", Calling-Station-Id = "00-16-3E-11-22-33", Framed-IP-Address = 10.1.0.7'
acct 'User-Name = "user0001", Acct-Status-Type = Interim-Update, Acct-Session-Id = "legacy-open", NAS-Identifier = "hs-legacy", Calling-Station-Id = "00-16-3E-11-22-33", Acct-Session-Time = 600, Acct-Input-Octets = 123456, Acct-Output-Octets = 654321'
acct 'User-Name = "user0003", Acct-Status-Type = Start, Acct-Session-Id = "legacy-done", NAS-Identifier = "hs-legacy", Calling-Station-Id = "00-16-3E-77-88-99"'
acct 'User-Name = "user0003", Acct-Status-Type = Stop, Acct-Session-Id = "legacy-done", NAS-Identifier = "hs-legacy", Calling-Station-Id = "00-16-3E-77-88-99", Acct-Session-Time = 300, Acct-Input-Octets = 1000, Acct-Output-Octets = 2000, Acct-Terminate-Cause = User-Request'
dotnet "$DLL" users lock user0003 "${settings[@]}"
kill -TERM "$P"; while kill -0 "$P" 2>/dev/null; do sleep 0.2; done
dotnet "$DLL" users list "${settings[@]}" 2>&1
python3 - "$T/data/portal.db" <<'PY'
import sqlite3, sys
c = sqlite3.connect(sys.argv[1]); c.execute("PRAGMA wal_checkpoint(TRUNCATE)"); c.execute("PRAGMA journal_mode=DELETE"); c.close()
PY
python3 - "$T/data/portal.db" <<'PY'
import sqlite3, sys
c = sqlite3.connect(sys.argv[1])
for t in ["schema_version", "accounts", "login_failures", "sessions", "accounting_records", "session_hours"]:
    print(t, c.execute(f"select count(*) from {t}").fetchone()[0], c.execute(f"select * from {t}").fetchall()[:6] if t != "accounts" else c.execute("select id, username, last_login_ms, locked, skeleton from accounts").fetchall())
PY
