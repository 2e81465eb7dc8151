"""A county allocation with pending household requests, for the batch review and bank file tests."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from funds import services
from funds.models import DisbursementRequest
from tests.factories.households import HouseholdFactory

FUNDED_ON = dt.date(2017, 1, 5)


def county_allocation(fund, xiuwu, finance, amount="500000.00"):
    """The fund's budget, `amount` of it allocated to 修武县: returns the county account."""
    services.budget_arrange(actor=finance, fund=fund, amount=Decimal("1000000.00"), booked_on=FUNDED_ON)
    services.allocate_to_county(actor=finance, fund=fund, county=xiuwu, amount=amount, booked_on=FUNDED_ON)
    return services.county_account(fund, xiuwu)


def household_requests(
    account, maker, n: int, *, amount="800.00", prefix="b", purpose="到户产业发展补贴", **hh
):
    """`n` pending requests, each to its own registered household of 修武县."""
    requests = []
    for i in range(n):
        request, _created = services.disbursement_request_create(
            actor=maker, idempotency_key=f"{prefix}-{i}", from_account=account, amount=amount,
            purpose=purpose, payee_kind="household", household=HouseholdFactory(**hh),
        )  # fmt: skip
        requests.append(request)
    return requests


def refreshed(requests) -> list[DisbursementRequest]:
    return list(DisbursementRequest.objects.filter(pk__in=[r.pk for r in requests]).order_by("pk"))
