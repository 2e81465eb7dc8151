"""Writes and figures for the point-in-time restore test (tests/ops/test_point_in_time_restore.py).

`python -m tests.ops.restore_scenario before|after|figures` with DATABASE_URL in the environment:

- before: households and paid disbursements, before the base backup;
- after: more of both (kept), the figures and the chosen time, then more again (to be lost), and a WAL
  switch so that the archive holds every commit;
- figures: what the product reads on the restored cluster.

Each prints one JSON line.
"""

from __future__ import annotations

import json
import sys
import time
from decimal import Decimal

import django

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

from core.models import Region, Role  # noqa: E402
from core.regions_data import load_regions  # noqa: E402
from funds import services as funds  # noqa: E402
from funds.models import Account, Entry, EntryKind, Fund  # noqa: E402
from households.models import Household  # noqa: E402
from tests.factories.core import UserFactory  # noqa: E402
from tests.factories.funds import FundFactory, ProjectFactory  # noqa: E402
from tests.factories.households import HouseholdFactory  # noqa: E402

XIUWU = "410821000000"


def _users():
    maker = UserFactory(
        username=f"pitr_maker_{time.monotonic_ns()}", roles=[Role.FINANCE_OFFICER], region_id=XIUWU
    )
    checker = UserFactory(username=f"pitr_checker_{time.monotonic_ns()}", roles=[Role.FINANCE_OFFICER],
                          region_id=XIUWU)  # fmt: skip
    return maker, checker


def pay(label: str, amounts: list[str]) -> None:
    """A project funded from a new fund, and one approved payment per amount."""
    maker, checker = _users()
    # Codes of their own: each step is a new process, whose factory sequences start again at 0.
    fund, project = FundFactory(code=f"F-PITR-{label}"), ProjectFactory(code=f"P-PITR-{label}")
    total = sum(Decimal(a) for a in amounts) + Decimal("1000.00")
    funds.budget_arrange(actor=maker, fund=fund, amount=total)
    account = funds.project_account(fund, project)
    funds.allocate_to_project(
        actor=maker, from_account=funds.pool_account(fund), project=project, amount=total
    )
    for i, amount in enumerate(amounts):
        request, _created = funds.disbursement_request_create(
            actor=maker, idempotency_key=f"pitr-{label}-{i}", from_account=account, amount=Decimal(amount),
            purpose="务工补贴", payee_kind="organisation", payee_name=f"合作社{label}{i}",
        )  # fmt: skip
        funds.disbursement_approve(actor=checker, request=request)


def figures() -> dict:
    last = Entry.objects.filter(kind=EntryKind.DISBURSEMENT).order_by("-id").first()
    return {
        "households": Household.objects.count(),
        "file_numbers": sorted(
            Household.objects.filter(file_number__startswith="PITR").values_list("file_number", flat=True)
        ),
        "funds": Fund.objects.count(),
        "balances": {str(pk): str(balance) for pk, balance in Account.objects.values_list("pk", "balance")},
        "last_payment": None
        if last is None
        else {
            "id": last.pk,
            "amount": str(last.amount),
            "memo": last.memo,
            "at": last.created_at.isoformat(),
        },
    }


def households(label: str, n: int) -> None:
    for i in range(n):
        HouseholdFactory(file_number=f"PITR-{label}-{i:03d}")


def db_now() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT clock_timestamp()::text")
        return cursor.fetchone()[0]


def switch_wal() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_walfile_name(pg_switch_wal())")
        return cursor.fetchone()[0]


def main(step: str) -> dict:
    if step == "before":
        if not Region.objects.filter(code=XIUWU).exists():
            load_regions(prefix="4108")
        households("before", 12)
        pay("before", ["800.00", "1200.00"])
        return figures()
    if step == "after":
        households("kept", 5)
        pay("kept", ["300.00", "450.50"])
        kept = figures()
        time.sleep(1.1)
        chosen = db_now()
        time.sleep(1.1)
        households("lost", 4)
        pay("lost", ["999.00"])
        return {"kept": kept, "chosen": chosen, "lost": figures(), "last_segment": switch_wal()}
    if step == "figures":
        setup_test_environment()
        health = Client().get("/healthz").status_code
        return {**figures(), "healthz": health}
    raise SystemExit(f"unknown step {step}")


if __name__ == "__main__":
    sys.stdout.write(json.dumps(main(sys.argv[1]), ensure_ascii=False) + "\n")
