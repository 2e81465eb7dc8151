"""The benchmark's settings, from the environment, applied before Django starts: its own database
(never the dev or test one), its own Redis database, production-like DEBUG off. Imported first by run.py."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from urllib.parse import urlparse, urlunparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PY = sys.executable

N = int(os.environ.get("BENCH_HOUSEHOLDS", "1000000"))
# One database per size, so a quick run never replaces the 1,000,000-household data.
DB = os.environ.get("BENCH_DB") or ("fupin_bench" if N == 1_000_000 else f"fupin_bench_{N}")
PORT = int(os.environ.get("BENCH_PORT", "8765"))
REPEAT = int(os.environ.get("BENCH_REPEAT", "40"))
IMPORT_ROWS = int(os.environ.get("BENCH_IMPORT_ROWS", "100000"))
EXPORT_ROWS = int(os.environ.get("BENCH_EXPORT_ROWS", "100000"))
LOAD_SECONDS = float(os.environ.get("BENCH_LOAD_SECONDS", "20"))
SKIP = set(filter(None, os.environ.get("BENCH_SKIP", "").split(",")))
if os.environ.get("BENCH_ONLY"):  # only the named HTTP figures (and sections named there)
    SKIP |= {"import", "export", "bulletin", "disbursements", "batches", "load"} - set(
        os.environ["BENCH_ONLY"].split(",")
    )
RESULTS = ROOT / "bench" / "results.json"

if DB == "fupin" or DB.startswith("test_"):
    raise SystemExit(f"BENCH_DB={DB}: the benchmark never touches the dev or test databases")
base_url = urlparse(os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:55432/fupin"))
BENCH_URL = urlunparse(base_url._replace(path="/" + DB))
ADMIN_URL = urlunparse(base_url._replace(path="/postgres"))
os.environ["DATABASE_URL"] = BENCH_URL
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
os.environ["DEBUG"] = "0"
# A Redis database of its own, so nothing the benchmark might queue reaches anyone's worker.
os.environ["REDIS_URL"] = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:56379/15")
os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")


def log(msg: str) -> None:
    sys.stdout.write(msg + "\n")
    sys.stdout.flush()


def pct(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(len(values) * q))]


def summary(ms: list[float]) -> dict:
    return {
        "n": len(ms),
        "p50_ms": round(pct(ms, 0.5), 1),
        "p95_ms": round(pct(ms, 0.95), 1),
        "max_ms": round(max(ms), 1),
    }
