#!/usr/bin/env python3
"""Measures the portal's "New user": (1) the time from the form's submission to the first Access-Accept for that user,
over the whole CoovaChilli flow (signed redirect, form, 303 to /logon, PAP decoded as the gateway does, radclient asks
the portal's RADIUS server); (2) registrations per second the portal sustains with WORKERS clients posting at once.
Usage: registration.py PORTAL_URL RADIUS_HOST:PORT UAM_SECRET RADIUS_SECRET [SAMPLES] [WORKERS] [SECONDS]"""
import hashlib, http.cookiejar, re, statistics, subprocess, sys, threading, time, urllib.error, urllib.parse, urllib.request

portal, radius, uam_secret, radius_secret = sys.argv[1:5]
samples = int(sys.argv[5]) if len(sys.argv) > 5 else 30
workers = int(sys.argv[6]) if len(sys.argv) > 6 else 4
seconds = float(sys.argv[7]) if len(sys.argv) > 7 else 20
challenge = "a1b2c3d4e5f60718293a4b5c6d7e8f90"
run = str(int(time.time()))[-6:]

class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None

def client():
    return urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), NoRedirect)

def fetch(opener, url, data=None):
    try:
        response = opener.open(url, data)
        return response.status, response.headers, response.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, e.headers, e.read().decode()

def signed_redirect(mac):
    url = (f"{portal}/hotspot?res=notyet&uamip=127.0.0.1&uamport=3990&challenge={challenge}"
           f"&mac={mac}&ip=10.1.0.23&nasid=hs-bench&sessionid=1&userurl=http%3A%2F%2Fexample.org%2F")
    return url + "&md=" + hashlib.md5((url + uam_secret).encode()).hexdigest().upper()

def register(opener, username, password, mac):
    """Returns (seconds from the POST to its 303, the Location)."""
    _, headers, _ = fetch(opener, signed_redirect(mac))
    query = urllib.parse.urlparse(headers["Location"]).query
    _, _, form = fetch(opener, f"{portal}/register?{query}")
    token = re.search(r'name="__RequestVerificationToken" value="([^"]+)"', form).group(1)
    body = urllib.parse.urlencode({"__RequestVerificationToken": token, "username": username, "password": password}).encode()
    started = time.perf_counter()
    status, headers, _ = fetch(opener, f"{portal}/register?{query}", body)
    if status != 303:
        raise RuntimeError(f"registration of {username}: HTTP {status}")
    return started, headers["Location"]

def pap_decode(hex_password):
    key = hashlib.md5(bytes.fromhex(challenge) + uam_secret.encode()).digest()
    return bytes(b ^ key[i % 16] for i, b in enumerate(bytes.fromhex(hex_password))).rstrip(b"\0").decode()

# (1) New user to Access-Accept, one at a time.
latencies, http_parts, radius_parts = [], [], []
for i in range(samples):
    opener = client()
    username, password = f"bench{run}a{i:04d}", f"Bench-{run}-{i:04d}!"
    started, location = register(opener, username, password, f"00-16-3E-00-{i // 256:02X}-{i % 256:02X}")
    posted = time.perf_counter()
    logon = urllib.parse.parse_qs(urllib.parse.urlparse(location).query)
    decoded = pap_decode(logon["password"][0])
    reply = subprocess.run(["radclient", "-q", "-t", "2", "-r", "1", radius, "auth", radius_secret],
                           input=f'User-Name="{logon["username"][0]}",User-Password="{decoded}",Message-Authenticator=0x00,NAS-Identifier=hs-bench\n',
                           capture_output=True, text=True)
    accepted = time.perf_counter()
    if reply.returncode != 0:
        raise RuntimeError(f"no Access-Accept for {username}: {reply.stdout}{reply.stderr}")
    latencies.append((accepted - started) * 1000)
    http_parts.append((posted - started) * 1000)
    radius_parts.append((accepted - posted) * 1000)

def pct(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]

print(f"new user -> Access-Accept: {samples} samples, median {statistics.median(latencies):.0f} ms, p95 {pct(latencies, 95):.0f} ms, "
      f"max {max(latencies):.0f} ms (of which the POST /register answer: median {statistics.median(http_parts):.0f} ms, p95 {pct(http_parts, 95):.0f} ms; "
      f"radclient's run, its process start included: median {statistics.median(radius_parts):.0f} ms, p95 {pct(radius_parts, 95):.0f} ms)")

# radclient's own share: the same Access-Request for the last user again (answered from memory, as a returning user's).
floor = []
for _ in range(10):
    begun = time.perf_counter()
    subprocess.run(["radclient", "-q", "-t", "2", "-r", "1", radius, "auth", radius_secret],
                   input=f'User-Name="{logon["username"][0]}",User-Password="{decoded}",Message-Authenticator=0x00,NAS-Identifier=hs-bench\n',
                   capture_output=True, text=True, check=True)
    floor.append((time.perf_counter() - begun) * 1000)
print(f"radclient for a returning user (its process start and the portal's answer from memory): median {statistics.median(floor):.0f} ms")

# (2) Registrations per second, WORKERS at once, for SECONDS.
done, errors, lock = [0], [0], threading.Lock()
deadline = time.perf_counter() + seconds

def worker(w):
    opener, n = client(), 0
    while time.perf_counter() < deadline:
        try:
            register(opener, f"bench{run}w{w}n{n:05d}", f"Bench-{run}-{w}-{n:05d}!", f"00-16-3F-{w:02X}-{n // 256 % 256:02X}-{n % 256:02X}")
            with lock:
                done[0] += 1
        except Exception:
            with lock:
                errors[0] += 1
        n += 1

start = time.perf_counter()
threads = [threading.Thread(target=worker, args=(w,)) for w in range(workers)]
for t in threads:
    t.start()
for t in threads:
    t.join()
elapsed = time.perf_counter() - start
print(f"registrations: {done[0]} in {elapsed:.1f} s with {workers} clients = {done[0] / elapsed:.1f}/s, {errors[0]} errors")
