# ruff: noqa: S603 - a benchmark script: its own commands, its own scratch files, asserts on answers
"""The figures that are not pages: the monthly bulletin, concurrent disbursements, and the scripts
run in their own process (Excel import and export, load)."""

from __future__ import annotations

import json
import os
import subprocess
import time

from bench.environment import PY, ROOT, log


def bulletin() -> dict:
    from accountability.models import Bulletin
    from accountability.periods import previous_month, today
    from accountability.tasks import monthly_bulletin

    month = previous_month(today())
    while Bulletin.objects.filter(month=month).exists():  # a published month is never regenerated
        month = previous_month(month)
    started = time.monotonic()
    result = monthly_bulletin(month.isoformat())
    seconds = time.monotonic() - started
    log(f"  monthly bulletin {month:%Y-%m}: {seconds:.1f} s ({result['scored']}; {result.get('seconds')})")
    return {"what": "monthly bulletin (score the month + every city's bulletin)", "month": month.isoformat(),
            "seconds": round(seconds, 1), "goal": "< 60 s", "scored": result["scored"],
            "parts": result.get("seconds")}  # fmt: skip


def disbursements(p) -> dict:
    """Concurrent request + approval through the services; every key sent twice; count entries after."""
    import threading
    from concurrent.futures import ThreadPoolExecutor

    from django.db import connection

    from funds.models import Account, AccountKind, DisbursementRequest, Entry
    from funds.services.disbursements import disbursement_approve, disbursement_request_create
    from households.models import Household

    county = p["county"]
    account = Account.objects.filter(kind=AccountKind.COUNTY, region=county).order_by("-balance").first()
    households = list(
        Household.objects.filter(village__code__startswith=county.code[:6], status="registered").order_by(
            "id"
        )[:400]
    )
    run = f"b{int(time.time())}"
    lock = threading.Lock()
    done = []

    failures: list[str] = []

    def pay(i: int) -> None:
        hh = households[i % len(households)]
        key = f"{run}-{i}"
        try:
            for _attempt in range(2):  # the same request sent twice: must pay once
                req, _created = disbursement_request_create(
                    actor=p["maker"], idempotency_key=key, from_account=account, amount="100.00",
                    purpose="产业奖补", payee_kind="household", household=hh,
                    confirmed_different=True,  # another run's payment to hh within 7 days is a new one
                )  # fmt: skip
                disbursement_approve(actor=p["checker"], request=req)
            with lock:
                done.append(req.pk)
        except Exception as error:  # counted and reported (e.g. a deadlock), never hidden
            with lock:
                failures.append(f"{type(error).__name__}: {str(error).splitlines()[0]}")
        finally:
            connection.close()

    started = time.monotonic()
    with ThreadPoolExecutor(8) as pool:
        list(pool.map(pay, range(len(households))))
    seconds = time.monotonic() - started
    reqs = DisbursementRequest.objects.filter(idempotency_key__startswith=f"{run}-")
    entries = Entry.objects.filter(request__in=reqs).count()
    row = {"what": "disbursements through the service, 8 threads (request + approval, each sent twice)",
           "payments": len(done), "seconds": round(seconds, 1), "per_second": round(len(done) / seconds, 1),
           "requests": reqs.count(), "entries": entries, "duplicates": entries - reqs.filter(status="approved").count(),
           "failures": len(failures), "failure_kinds": sorted(set(failures))[:5],
           "goal": ">= 100/s, zero duplicates"}  # fmt: skip
    log(f"  disbursements: {row['per_second']}/s, {row['duplicates']} duplicates, {row['failures']} failed")
    return row


def subprocess_json(args: list[str]) -> dict:
    out = subprocess.run(
        [PY, *args], cwd=ROOT, env=dict(os.environ), check=True, capture_output=True, text=True
    )
    return json.loads(out.stdout.strip().splitlines()[-1])
