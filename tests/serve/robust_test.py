"""The explorer's server (innosim serve) against bad, malformed and many requests: every bad
request gets a clear 4xx and the server stays up; malformed HTTP and a bounded fuzz of JSON
bodies never bring it down or give a 5xx; path traversal reads nothing; 20 clients at once for a
minute are all answered while memory stays bounded; files appear only in its own directory; and
SIGTERM stops it with exit 0.

    /usr/bin/python3 tests/serve/robust_test.py build/release/tools/innosim
"""
import http.client
import json
import os
import random
import re
import select
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "output"))
from harness import INNOSIM, check, finish  # noqa: E402

work = tempfile.mkdtemp(prefix="innosim-serve-robust-")
results = os.path.join(work, "results")
cwd = os.path.join(work, "cwd")
os.makedirs(cwd)


def start():
    """A server on a free port, and the port (read within 30 s)."""
    p = subprocess.Popen([INNOSIM, "serve", "--port", "0", "--dir", results, "--threads", "2", "--queue", "4"],
                         cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    ready, _, _ = select.select([p.stdout], [], [], 30)
    line = p.stdout.readline() if ready else ""
    m = re.search(r"http://127\.0\.0\.1:(\d+)/", line)
    if m is None:
        p.kill()
        print(f"FAIL: the server did not say where it listens: {line!r}")
        sys.exit(1)
    return p, int(m.group(1))


def stop_server(p, what):
    p.send_signal(signal.SIGTERM)
    t = time.time()
    try:
        code = p.wait(timeout=30)
    except subprocess.TimeoutExpired:
        p.kill()
        code = "hung"
    check(code == 0, f"{what}: SIGTERM gave exit {code}")
    check(time.time() - t < 10, f"{what}: stopping took {time.time() - t:.1f} s")


server, PORT = start()


def request(method, path, body=None, headers=None, timeout=30):
    c = http.client.HTTPConnection("127.0.0.1", PORT, timeout=timeout)
    h = {"Content-Type": "application/json"} if body is not None else {}
    h.update(headers or {})
    c.request(method, path, body=body, headers=h)
    r = c.getresponse()
    data = r.read()
    c.close()
    return r.status, data


def up():
    status, data = request("GET", "/api/info")
    return status == 200 and b'"levers"' in data


def post(obj):
    return request("POST", "/api/jobs", json.dumps(obj) if not isinstance(obj, (str, bytes)) else obj)


# 1. Bad requests: a clear error each.
for what, (status, body), expected in [
    ("unknown lever", post({"base": "baseline", "levers": {"diffusion.q_per_year": 3}}), 400),
    ("out of range", post({"base": "baseline", "levers": {"programme.budget_mnok_per_year": 1e9}}), 400),
    ("wrong type", post({"base": "baseline", "levers": {"programme.budget_mnok_per_year": "90"}}), 400),
    ("shares not adding up", post({"base": "baseline", "levers": {"programme.share_arenas": 0.5}}), 400),
    ("unknown base", post({"base": "../../etc/passwd"}), 400),
    ("replicates", post({"base": "baseline", "replicates": 100000}), 400),
    ("not an object", post("[1, 2, 3]"), 400),
    ("not JSON", post("{bad"), 400),
    ("not JSON content", request("POST", "/api/jobs", "base=baseline", {"Content-Type": "text/plain"}), 415),
    ("oversized", post("x" * 200000), 413),
    ("other origin", request("POST", "/api/jobs", "{}", {"Origin": "http://evil.example"}), 403),
    ("other host", request("GET", "/api/info", None, {"Host": f"evil.example:{PORT}"}), 403),
    ("unknown job", request("GET", "/api/jobs/0123456789abcdef"), 404),
    ("unfinished files", request("GET", "/api/jobs/0123456789abcdef/result.h5"), 404),
]:
    check(status == expected, f"{what}: {status}, expected {expected}: {body[:200]!r}")
    if 400 <= status < 500 and status not in (404, 413):
        check(b'"error"' in body, f"{what}: no error message: {body[:200]!r}")
for path in ["/api/jobs/../../../etc/passwd", "/api/jobs/%2e%2e/%2e%2e/etc/passwd", "/assets/../../etc/passwd",
             "/api/jobs/0123456789abcdef/../../../../etc/passwd", "//etc/passwd", "/api/jobs/0123456789abcdef/report.html/.."]:
    status, body = request("GET", path)
    check(status in (400, 403, 404) and b"root:" not in body, f"{path}: {status} {body[:80]!r}")
check(up(), "the server is up after the bad requests")

# 2. Malformed HTTP on raw sockets.
for raw in [b"GARBAGE\r\n\r\n", b"GET / HTTP/1.1\r\n", b"GET /" + b"a" * 100000 + b" HTTP/1.1\r\nHost: x\r\n\r\n",
            b"POST /api/jobs HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nContent-Length: 999999999\r\n\r\n{" % PORT,
            b"\x00\xff" * 1000]:
    s = socket.create_connection(("127.0.0.1", PORT), timeout=5)
    try:
        s.sendall(raw)
        s.shutdown(socket.SHUT_WR)
        s.recv(1000)
    except OSError:
        pass
    s.close()
check(up(), "the server is up after malformed HTTP")

# 3. A bounded fuzz of JSON bodies: never a 5xx other than 503 (queue full), never down.
rng = random.Random(7)
values = [None, True, False, 0, -1, 1e308, float("nan"), "", "baseline", "x" * 1000, [], {}, [1, "a"], {"a": {"b": []}}]
keys = ["base", "levers", "replicates", "seed", "client", "programme.budget_mnok_per_year", "arenas.conference", "x"]
bad = []
for k in range(300):
    obj = {rng.choice(keys): rng.choice(values) for _ in range(rng.randint(0, 4))}
    if rng.random() < 0.5:
        obj["levers"] = {rng.choice(keys): rng.choice(values) for _ in range(rng.randint(0, 3))}
    if rng.random() < 0.3:
        obj["base"] = "baseline"
        obj["replicates"] = 2
    body = json.dumps(obj, allow_nan=True)
    status, data = post(body)
    if status >= 500 and status != 503:
        bad.append((body, status, data[:200]))
check(not bad, f"fuzzed bodies gave server errors: {bad[:3]}")
check(up(), "the server is up after the fuzz")

# 4. Twenty clients for a minute: each asks for comparisons (a new one supersedes its last) and
# follows them; a watcher checks that the server keeps answering and its memory stays bounded.
stop = time.time() + 60
errors, answered, latencies, rss, finished_jobs = [], [0], [], [], set()


def client(n):
    # Odd clients are impatient: each new request supersedes their last (cancelling it). Even
    # clients wait for their comparison to end before asking again, so that comparisons finish
    # under load however fast the build is (a Debug or sanitizer build is many times slower).
    r = random.Random(n)
    while time.time() < stop:
        try:
            status, data = post({"base": "baseline", "replicates": 2, "client": f"c{n}",
                                 "levers": {"programme.budget_mnok_per_year": r.randrange(0, 241, 5)}})
            if status in (200, 202):
                job = json.loads(data)["id"]
                while True:
                    s2, d2 = request("GET", f"/api/jobs/{job}")
                    state = json.loads(d2).get("state") if s2 == 200 else None
                    if s2 not in (200, 404):
                        errors.append(f"client {n}: GET job {s2}")
                    if state == "done":
                        finished_jobs.add(job)
                    if n % 2 == 1 or state not in ("queued", "running") or time.time() > stop:
                        break
                    time.sleep(0.2)
            elif status != 503:  # a full queue is an answer too; finished comparisons are counted below
                errors.append(f"client {n}: POST {status} {data[:100]!r}")
            answered[0] += 1
        except OSError as e:
            errors.append(f"client {n}: {e}")
        time.sleep(r.uniform(0.05, 0.3))


def watcher():
    while time.time() < stop:
        t = time.time()
        try:
            up()
            latencies.append(time.time() - t)
        except OSError as e:
            errors.append(f"watcher: {e}")
        with open(f"/proc/{server.pid}/status") as f:
            rss.append(int(re.search(r"VmRSS:\s+(\d+)", f.read()).group(1)) // 1024)
        time.sleep(0.5)


threads = [threading.Thread(target=client, args=(n,)) for n in range(20)] + [threading.Thread(target=watcher)]
for t in threads:
    t.start()
for t in threads:
    t.join()
print(f"20 clients, 60 s: {answered[0]} requests answered; /api/info at most {max(latencies):.2f} s; "
      f"peak memory {max(rss)} MiB")
check(not errors, f"requests that failed: {errors[:5]}")
check(answered[0] > 200, f"only {answered[0]} requests answered in a minute")
check(max(latencies) < 5, f"the server kept a client waiting {max(latencies):.1f} s")
check(max(rss) < 1500, f"memory grew to {max(rss)} MiB")
check(len(finished_jobs) >= 5, f"only {len(finished_jobs)} comparisons finished under load")

# 5. Downloads at once: the bokmål report is made once, every request gets it.
job = sorted(finished_jobs)[0] if finished_jobs else "0123456789abcdef"
codes = []
pulls = [threading.Thread(target=lambda: codes.append(request("GET", f"/api/jobs/{job}/report-nb.html")[0]))
         for _ in range(6)]
for t in pulls:
    t.start()
for t in pulls:
    t.join()
check(codes == [200] * 6, f"the bokmål report fetched six times at once: {codes}")

# 6. Stopping with comparisons queued: SIGTERM still stops it, promptly.
for b in range(100, 130, 5):
    post({"base": "baseline", "replicates": 20, "client": f"q{b}", "levers": {"programme.budget_mnok_per_year": b}})
check(os.listdir(cwd) == [], f"files written outside --dir: {os.listdir(cwd)}")
stop_server(server, "with comparisons queued")

# 7. A new server on the same directory answers a finished comparison from its files, and its
# event stream gives the result at once.
server, PORT = start()
status, data = post({"base": "baseline", "levers": {"programme.budget_mnok_per_year": 90}, "replicates": 2})
first = json.loads(data)["id"]
deadline = time.time() + 120
while time.time() < deadline and json.loads(request("GET", f"/api/jobs/{first}")[1]).get("state") != "done":
    time.sleep(0.2)
stop_server(server, "after one comparison")
server, PORT = start()
status, data = post({"base": "baseline", "levers": {"programme.budget_mnok_per_year": 90}, "replicates": 2})
check(status == 200 and json.loads(data) == {"id": first, "cached": True}, f"after a restart: {status} {data!r}")
c = http.client.HTTPConnection("127.0.0.1", PORT, timeout=10)
c.request("GET", f"/api/jobs/{first}/events")
r = c.getresponse()
head = r.readline()
check(head.startswith(b"event: done"), f"the cached comparison's event stream starts with {head!r}")
c.close()

# 8. Files only in its own directory, under names it made; then SIGTERM stops it cleanly.
check(os.listdir(cwd) == [], f"files written outside --dir: {os.listdir(cwd)}")
names = os.listdir(results)
check(names and all(re.fullmatch(r"[0-9a-f]{16}", n) for n in names), f"unexpected names in --dir: {names[:5]}")
check(oct(os.stat(results).st_mode & 0o777) == "0o700", f"--dir is not private: {oct(os.stat(results).st_mode)}")
stop_server(server, "at the end")
finish()
