"""What households' cross-checks (数据比对) read of payments: money paid to a household on or after
the death of one of its members. Named in FundsConfig.crosscheck_payment_readers, so households
finds it without importing funds."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q
from django.utils import timezone

from ..models import DisbursementRequest, RequestStatus

# Money that left, or is committed to leave, the account.
PAID = (RequestStatus.APPROVED, RequestStatus.SENT, RequestStatus.PAID)


def payments_after_death(deaths: dict[int, dt.date]) -> dict[int, list[dict]]:
    """{household id: [{date, amount, purpose, request}]} of payments decided on or after the date
    of death given for the household (read-only; one query)."""
    if not deaths:
        return {}
    when = Q()
    for household_id, date in deaths.items():
        start = timezone.make_aware(dt.datetime.combine(date, dt.time.min))
        when |= Q(household_id=household_id, decided_at__gte=start)
    found: dict[int, list[dict]] = {}
    rows = (
        DisbursementRequest.objects.filter(when, status__in=PAID)
        .order_by("household_id", "decided_at", "id")
        .values_list("household_id", "pk", "decided_at", "amount", "purpose")
    )
    for household_id, pk, decided_at, amount, purpose in rows:
        found.setdefault(household_id, []).append({
            "request": pk, "date": timezone.localdate(decided_at).isoformat(),
            "amount": f"{amount:.2f}", "purpose": purpose[:100],
        })  # fmt: skip
    return found
