"""Hostile sign-ins for tests/bench/run-signin-flood.sh: COUNT POSTs to /login from THREADS
threads, each on its own keep-alive connection, every one with the sign-in form's token (cookie
and field, so that it gets past the CSRF check to the sign-in itself). Two kinds:

  long    a 60 KB e-mail from one address, as the security review sent them
  spread  a new short e-mail from a new address each (X-Forwarded-For through a trusted proxy),
          so that no limit holds any of them and every one runs Argon2

Prints one line: FLOOD requests=… seconds=… p50_ms=… p99_ms=… statuses=…
"""
import http.client
import sys
import threading
import time
from collections import Counter
from urllib.parse import quote

host, port, pre, mode, run = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4], int(sys.argv[5])
count, threads = int(sys.argv[6]), int(sys.argv[7])

lock = threading.Lock()
latencies, statuses = [], Counter()
long_email = "a" * 60000 + "@x.cn"


def body_and_headers(n):
    headers = {"Content-Type": "application/x-www-form-urlencoded", "Cookie": f"kehou_pre={pre}"}
    email = long_email
    if mode == "spread":
        email = f"flood{run}-{n}@x.cn"
        headers["X-Forwarded-For"] = f"10.{run % 250}.{n // 250}.{n % 250 + 1}"
    body = f"csrf={pre}&email={quote(email)}&password=wrong+password"
    return body, headers


def worker(first):
    conn = http.client.HTTPConnection(host, port, timeout=60)
    for n in range(first, count, threads):
        body, headers = body_and_headers(n)
        t = time.monotonic()
        try:
            conn.request("POST", "/login", body, headers)
            resp = conn.getresponse()
            resp.read()
            status = resp.status
        except OSError:
            status = "error"
            conn = http.client.HTTPConnection(host, port, timeout=60)
        with lock:
            latencies.append(time.monotonic() - t)
            statuses[status] += 1


start = time.monotonic()
pool = [threading.Thread(target=worker, args=(i,)) for i in range(threads)]
for t in pool:
    t.start()
for t in pool:
    t.join()
took = time.monotonic() - start
latencies.sort()
p = lambda q: latencies[min(len(latencies) - 1, int(q * len(latencies)))] * 1000
print(
    f"FLOOD mode={mode} requests={len(latencies)} seconds={took:.1f} p50_ms={p(0.5):.1f} "
    f"p99_ms={p(0.99):.1f} statuses={dict(statuses)}"
)
