"""The month-end batch review figure (issue 20.3): payments approved per second through the batch
service, each request checked and approved on its own, with two checkers confirming overlapping
batches at once — and 0 duplicates (each request approved and posted exactly once)."""

from __future__ import annotations

import threading
import time

from bench.environment import log

REQUESTS = 1000  # five pages of 200


def batch_review(p, n: int = REQUESTS) -> dict:
    from django.db import connection
    from django.db.models import Count
    from django.utils import timezone

    from core.models import Role, User
    from funds.models import Account, AccountKind, BatchApproval, DisbursementRequest, Entry
    from funds.services import batches
    from funds.services.disbursements import disbursement_request_create
    from households.models import Household

    county = p["county"]
    second, _ = User.objects.get_or_create(username="bench_checker2", defaults={"full_name": "bench_checker2",
                                                                                "region": county})  # fmt: skip
    from django.contrib.auth.models import Group

    second.groups.set([Group.objects.get(name=Role.FINANCE_OFFICER)])
    second = User.objects.get(pk=second.pk)
    account = Account.objects.filter(kind=AccountKind.COUNTY, region=county).order_by("-balance").first()
    households = list(
        Household.objects.filter(village__code__startswith=county.code[:6], status="registered").order_by(
            "-id"
        )[:n]
    )
    run = f"batch{int(time.time())}"
    for i, household in enumerate(households):
        disbursement_request_create(
            actor=p["maker"], idempotency_key=f"{run}-{i}", from_account=account, amount="50.00",
            purpose=f"月末批量审核 {run}", payee_kind="household", household=household,
            confirmed_different=True,  # each run pays the same households again: a new payment, not a repeat
        )  # fmt: skip
    month = timezone.localdate()
    purpose = f"月末批量审核 {run}"
    checkers = (p["checker"], second)
    opened = {
        c.pk: batches.batch_open(actor=c, from_account=account, month=month, purpose=purpose)
        for c in checkers
    }
    failures: list[str] = []
    approved = []
    lock = threading.Lock()

    def review(checker):
        try:
            batch = opened[checker.pk]
            for number in range(1, batch.pages + 1):
                page, rows = batches.page_show(actor=checker, batch=batch, number=number)
                notes = {row.request.pk: "bench" for row in rows if row.flags}
                page = batches.page_confirm(
                    actor=checker,
                    page=page,
                    selected=[row.request.pk for row in rows if row.pending],
                    notes=notes,
                )
                with lock:
                    approved.extend(page.approved_ids)
        except Exception as error:  # counted and reported, never hidden
            with lock:
                failures.append(f"{type(error).__name__}: {str(error).splitlines()[0]}")
        finally:
            connection.close()

    started = time.monotonic()
    threads = [threading.Thread(target=review, args=(c,)) for c in checkers]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    seconds = time.monotonic() - started
    reqs = DisbursementRequest.objects.filter(idempotency_key__startswith=f"{run}-")
    entries = Entry.objects.filter(request__in=reqs).count()
    twice = (
        Entry.objects.filter(request__in=reqs)
        .values("request")
        .annotate(c=Count("id"))
        .filter(c__gt=1)
        .count()
    )
    row = {"what": "month-end batch review: two checkers confirm overlapping batches page by page (200 rows), "
                   "each request approved on its own",
           "requests": reqs.count(), "approved": len(approved), "seconds": round(seconds, 1),
           "per_second": round(len(approved) / seconds, 1) if seconds else None,
           "entries": entries, "batch_approvals": BatchApproval.objects.filter(request__in=reqs).count(),
           "duplicates": (len(approved) - len(set(approved))) + twice,
           "failures": len(failures), "failure_kinds": sorted(set(failures))[:5],
           "goal": ">= 100/s, zero duplicates"}  # fmt: skip
    log(f"  batch review: {row['per_second']}/s, {row['duplicates']} duplicates, {row['failures']} failed")
    return row
