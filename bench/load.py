"""Load from a second process: N threads, each a keep-alive client, GET one URL for D seconds.

    python bench/load.py URL SESSIONID CLIENTS SECONDS   → JSON {requests, errors, rps, p50_ms, p95_ms, max_ms}

Bounded in time and count (at most 100,000 requests), loopback only.
"""

from __future__ import annotations

import json
import sys
import threading
import time
from urllib.parse import urlparse

import requests

MAX_REQUESTS = 100_000


def main(url: str, session: str, clients: int, seconds: float) -> dict:
    host = urlparse(url).hostname
    if host not in ("127.0.0.1", "localhost", "::1"):
        raise SystemExit("load.py only talks to loopback")
    latencies: list[float] = []
    errors = 0
    lock = threading.Lock()
    stop = time.monotonic() + seconds

    def client() -> None:
        nonlocal errors
        http = requests.Session()
        http.cookies.set("sessionid", session)
        mine, bad = [], 0
        while time.monotonic() < stop and len(mine) < MAX_REQUESTS // clients:
            t = time.perf_counter()
            r = http.get(url, timeout=30)
            mine.append((time.perf_counter() - t) * 1000)
            bad += r.status_code != 200
        with lock:
            latencies.extend(mine)
            errors += bad

    started = time.monotonic()
    threads = [threading.Thread(target=client) for _ in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.monotonic() - started
    latencies.sort()
    n = len(latencies)
    return {
        "clients": clients, "seconds": round(wall, 1), "requests": n, "errors": errors, "rps": round(n / wall, 1),
        "p50_ms": round(latencies[n // 2], 1), "p95_ms": round(latencies[int(n * 0.95)], 1),
        "max_ms": round(latencies[-1], 1),
    }  # fmt: skip


if __name__ == "__main__":
    result = main(sys.argv[1], sys.argv[2], int(sys.argv[3]), float(sys.argv[4]))
    sys.stdout.write(json.dumps(result) + "\n")
