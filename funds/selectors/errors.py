"""资金零差错: what makes a payment a fund error — the one definition the error rate, the auditors'
flags and the scores read.

A payment (an approved disbursement request) is in error when
- it was reversed after approval (a paid mistake corrected by a reversing entry), or
- it paid a household that was not on the register (在册 or 返贫) when it was paid — except a
  payment a policy still grants after exit (脱贫不脱政策): to an exited household, carrying out a
  measure of that household's own assistance plan. Such a payment is not an error.

The household's status "when it was paid" is its last status change up to the payment; a household
on the register today was on it then for this purpose (so only households off it today are looked at).

`PAID_OFF_REGISTER_SQL` is the second condition as SQL: the flags' raw query embeds it, the ORM side
(`off_register_payments`, `paid_requests`, the batch rows) through RawSQL — one definition.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import BooleanField, ExpressionWrapper, Q, QuerySet
from django.db.models.expressions import RawSQL
from django.db.models.functions import Substr

from core.scoping import region_rows

from ..models import DisbursementRequest, RequestStatus

# On the register: counted in the poor population, paid as such.
ON_REGISTER = ("registered", "returned")

# Approved payments: paid (or on their way to the bank), and those reversed after approval. A
# payment the bank returned (failed) never reached anyone and is left out of both sides.
PAID_STATUSES = (RequestStatus.APPROVED, RequestStatus.SENT, RequestStatus.PAID, RequestStatus.REVERSED)

# {r}: the disbursement request's table alias; {paid_at}: an SQL expression of the moment it was
# paid (a timestamptz). True when the payee is a household off the register then and the payment
# is not one a policy still grants after exit. Said as EXISTS over the household off the register
# today, so that PostgreSQL joins the few such households instead of probing one per payment.
PAID_OFF_REGISTER_SQL = """({r}.payee_kind = 'household' AND EXISTS (
    SELECT 1 FROM households_household hh
     WHERE hh.id = {r}.household_id AND hh.status NOT IN ('registered', 'returned')
       AND {then} NOT IN ('registered', 'returned')
       AND NOT ({then} = 'exited' AND EXISTS (
           SELECT 1 FROM assistance_measure m JOIN assistance_assistanceplan p ON p.id = m.plan_id
            WHERE m.id = {r}.measure_id AND p.household_id = hh.id))))"""
# The household's status when paid: its last status change up to then (else today's status).
STATUS_THEN_SQL = """COALESCE((SELECT c.to_status FROM households_householdstatuschange c
     WHERE c.household_id = hh.id AND c.at <= {paid_at} ORDER BY c.at DESC, c.id DESC LIMIT 1), hh.status)"""


def paid_off_register_sql(*, request: str, paid_at: str) -> str:
    """The condition for a request aliased `request`, paid at the SQL expression `paid_at`."""
    return PAID_OFF_REGISTER_SQL.format(r=request, then=STATUS_THEN_SQL.format(paid_at=paid_at))


def _off_register(paid_at: str = "") -> RawSQL:
    """The condition on a DisbursementRequest queryset: paid at its decision, or at `paid_at` (an
    SQL expression: "now()" for a request still to be decided)."""
    table = DisbursementRequest._meta.db_table
    sql = paid_off_register_sql(request=f'"{table}"', paid_at=paid_at or f'"{table}"."decided_at"')
    return RawSQL(sql, (), output_field=BooleanField())  # noqa: S611 - constant SQL, no values


def payments(
    *, prefix: str, start: dt.date | None = None, end: dt.date | None = None, actor=None
) -> QuerySet[DisbursementRequest]:
    """The denominator of the fund error rate: payments approved in [start, end) under `prefix`
    (with `actor`, only those in the reader's scope)."""
    requests = region_rows(DisbursementRequest.objects.all(), field="region_id", region=prefix, actor=actor)
    requests = requests.filter(status__in=PAID_STATUSES)
    if start:
        requests = requests.filter(decided_at__date__gte=start)
    if end:
        requests = requests.filter(decided_at__date__lt=end)
    return requests


def paid_requests(
    *, prefix: str, start: dt.date | None = None, end: dt.date | None = None, actor=None
) -> QuerySet[DisbursementRequest]:
    """`payments`, each marked `error` (and `off_register`) and `county` (6 digits): the rows."""
    return (
        payments(prefix=prefix, start=start, end=end, actor=actor)
        .annotate(
            off_register=_off_register(),
            error=ExpressionWrapper(
                Q(status=RequestStatus.REVERSED) | Q(off_register=True), output_field=BooleanField()
            ),
            county=Substr("region_id", 1, 6),
        )
        .order_by("decided_at", "id")
    )


def reversed_payments(*, prefix: str, actor=None) -> QuerySet[DisbursementRequest]:
    """Payments in error, the first kind: reversed after approval."""
    return payments(prefix=prefix, actor=actor).filter(status=RequestStatus.REVERSED)


def off_register_payments(*, prefix: str, actor=None) -> QuerySet[DisbursementRequest]:
    """Payments in error, the second kind: to a household off the register when paid (a policy
    kept after exit excepted)."""
    return payments(prefix=prefix, actor=actor).filter(_off_register())


def off_register_now(household, measure=None) -> bool:
    """`PAID_OFF_REGISTER_SQL` for a payment not yet in the database (a maker's preview), paid now:
    its status today; a measure of its own plan keeps an exited household's policy."""
    if household is None or household.status in ON_REGISTER:
        return False
    kept = household.status == "exited" and measure is not None and measure.plan.household_id == household.pk
    return not kept


def with_off_register_now(requests: QuerySet[DisbursementRequest]) -> QuerySet[DisbursementRequest]:
    """Requests still to be decided, each marked `off_register`: would paying it now be a fund error
    (the household off the register, no policy granting it after exit)? The checker's row flag."""
    return requests.annotate(off_register=_off_register("now()"))
