"""The rules a payment must meet, read without writing: the county's settings (with the
province's defaults), the project chain (投资评审 → 政府采购 → 招标投标 → 合同) and its caps, and the
flags a maker sees before submitting and a checker sees before deciding — the same list for both.
"""

from __future__ import annotations

import datetime as dt
import functools
import operator
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from core.templatetags.core_tags import yuan

from ..models import (
    CONTRACTOR_KINDS,
    DEFAULT_LIMITS,
    DEFAULT_REVIEW_THRESHOLD,
    TENDER_METHODS,
    ZERO,
    AccountKind,
    DisbursementRequest,
    PayeeKind,
    PaymentKind,
    PaymentLimit,
    PaymentSettings,
    Project,
    RequestStatus,
)
from .errors import off_register_now

DUPLICATE_REQUEST_DAYS = 7
# Requests whose money is (or will be) out of the account: the caps count them.
COMMITTED = (
    RequestStatus.PENDING, RequestStatus.APPROVED, RequestStatus.SENT, RequestStatus.PAID,
)  # fmt: skip


def _province(county_code: str) -> str:
    return county_code[:2] + "0000000000"


class RuleReads:
    """The reads the rules share, made once for many assessments (a batch page, the payment-rules list):
    the settings of every region (two small tables), each project's committed sums and contract total,
    and — once `prime`d with the requests to assess — the requests the duplicate and paid-this-month
    checks look at. An assessment without one makes its own (the same answers, read for it alone);
    `tests/funds/test_rule_reads_agree.py` compares the two."""

    def __init__(self) -> None:
        self._thresholds: dict[str, Decimal] | None = None
        self._limits: dict[tuple[str, str], tuple[Decimal, Decimal]] | None = None
        self._committed: dict[int, tuple[Decimal, Decimal]] = {}
        self._contracts: dict[int, Decimal | None] = {}
        self._known: dict[int, DisbursementRequest] = {}
        self._neighbours: list[DisbursementRequest] | None = None
        self._month_start: dt.date | None = None

    def threshold(self, county_code: str) -> Decimal:
        """The county's investment-review threshold, else the province's default, else the built-in one."""
        if self._thresholds is None:
            self._thresholds = dict(PaymentSettings.objects.values_list("region_id", "review_threshold"))
        county = county_code[:6] + "000000"
        return self._thresholds.get(county, self._thresholds.get(_province(county), DEFAULT_REVIEW_THRESHOLD))

    def has_own(self, region_code: str) -> bool:
        """The region has a settings row of its own (not only the province's or the built-in defaults)."""
        self.threshold(region_code)
        return region_code in self._thresholds

    def limits(self, county_code: str, kind: str) -> tuple[Decimal, Decimal]:
        """(ceiling, softer limit) of a kind of payment in a county: its row, the province's, the built-in one."""
        if self._limits is None:
            self._limits = {
                (region, k): (ceiling, soft)
                for region, k, ceiling, soft in PaymentLimit.objects.values_list(
                    "region_id", "kind", "ceiling", "soft_limit"
                )
            }
        county = county_code[:6] + "000000"
        return self._limits.get(
            (county, kind), self._limits.get((_province(county), kind), DEFAULT_LIMITS[PaymentKind(kind)])
        )

    def contract_total(self, project: Project) -> Decimal | None:
        if project.pk not in self._contracts:
            self._contracts[project.pk] = contract_total(project)
        return self._contracts[project.pk]

    def committed(self, project: Project, *, exclude: int | None = None) -> tuple[Decimal, Decimal]:
        """`project_committed`, the sums read once per project; a primed request is taken out in Python."""
        own = self._known.get(exclude) if exclude else None
        if exclude and own is None:
            return project_committed(project, exclude=exclude)
        if project.pk not in self._committed:
            self._committed[project.pk] = project_committed(project)
        total, contractor = self._committed[project.pk]
        if own is not None and own.status in COMMITTED and own.project_id == project.pk:
            total -= own.amount
            if pays_contractor(project, own):
                contractor -= own.amount
        return total, contractor

    def prime(self, requests: list[DisbursementRequest], *, on: dt.date | None = None) -> None:
        """Load at once the requests the checks of `requests` compare them with: those of their
        measures this month (paid this month) and those of their payees in the 7 days before each
        was made (the same payment twice)."""
        self._known.update({r.pk: r for r in requests})
        self._month_start = (on or timezone.localdate()).replace(day=1)
        measures = {r.measure_id for r in requests if r.measure_id}
        households = {r.household_id for r in requests if r.household_id}
        payees = {r.payee_id for r in requests if r.payee_id}
        parts = []
        if measures:
            parts.append(Q(measure_id__in=measures, created_at__date__gte=self._month_start))
        if households or payees:
            made = [r.created_at for r in requests]
            window = Q(
                created_at__gte=min(made) - dt.timedelta(days=DUPLICATE_REQUEST_DAYS),
                created_at__lte=max(made),
            )
            parts.append(window & (Q(household_id__in=households) | Q(payee_id__in=payees)))
        if not parts:
            self._neighbours = []
            return
        self._neighbours = list(
            DisbursementRequest.objects.filter(functools.reduce(operator.or_, parts), status__in=COMMITTED)
            .only("pk", "amount", "project_id", "household_id", "payee_id", "measure_id", "created_at")
            .order_by("created_at", "pk")
        )

    def primed(self, request_id: int | None, on: dt.date | None) -> bool:
        month_start = (on or timezone.localdate()).replace(day=1)
        return self._neighbours is not None and request_id in self._known and month_start == self._month_start

    def paid_this_month(self, *, measure, household, request_id: int | None, on: dt.date | None) -> bool:
        month_start = (on or timezone.localdate()).replace(day=1)
        if not self.primed(request_id, on):
            paid = DisbursementRequest.objects.filter(
                measure=measure, status__in=COMMITTED, created_at__date__gte=month_start
            ).exclude(pk=request_id)
            if household is not None:
                paid = paid.filter(household=household)
            return paid.exists()
        return any(
            n.measure_id == measure.pk
            and n.pk != request_id
            and timezone.localtime(n.created_at).date() >= month_start
            and (household is None or n.household_id == household.pk)
            for n in self._neighbours
        )

    def duplicates(self, *, amount, project, household, payee, until, request_id, on) -> list:
        """Up to five requests with the same payee, amount and project in the 7 days up to `until`."""
        if household is None and payee is None:
            return []
        since = until - dt.timedelta(days=DUPLICATE_REQUEST_DAYS)
        if not self.primed(request_id, on):
            same = DisbursementRequest.objects.filter(
                amount=amount, project=project, status__in=COMMITTED, created_at__gte=since, created_at__lte=until,
            ).exclude(pk=request_id)  # fmt: skip
            same = same.filter(household=household) if household is not None else same.filter(payee=payee)
            return list(same.order_by("created_at", "pk")[:5])
        project_id = project.pk if project is not None else None
        return [
            n
            for n in self._neighbours
            if n.amount == amount
            and n.project_id == project_id
            and since <= n.created_at <= until
            and n.pk != request_id
            and (n.household_id == household.pk if household is not None else n.payee_id == payee.pk)
        ][:5]


def review_threshold(county_code: str, reads: RuleReads | None = None) -> Decimal:
    """The county's investment-review threshold, else the province's default, else the built-in one."""
    return (reads or RuleReads()).threshold(county_code)


def payment_limits(county_code: str, kind: str, reads: RuleReads | None = None) -> tuple[Decimal, Decimal]:
    """(ceiling, softer limit) of a kind of payment in a county: its row, the province's, the built-in one."""
    return (reads or RuleReads()).limits(county_code, kind)


@dataclass
class Step:
    """A missing step of the project chain: the project field to record and the refusal naming it."""

    field: str
    message: str


def project_chain_missing(
    project: Project, *, on: dt.date | None = None, reads: RuleReads | None = None
) -> list[Step]:
    """The steps a payment from this project still waits for, in the order they are taken."""
    on = on or timezone.localdate()
    missing: list[Step] = []
    threshold = review_threshold(project.county_id, reads)
    if project.budget > threshold and (project.review_approved_amount is None or not project.review_date):
        missing.append(Step("review_approved_amount", _(
            "Payments from this project wait for its investment review (投资评审): its budget is above "
            "the county's review threshold of %(threshold)s yuan. Record the reviewed amount and date first."
        ) % {"threshold": yuan(threshold)}))  # fmt: skip
    if not project.procurement_method:
        missing.append(Step("procurement_method", _(
            "Payments from this project wait for its procurement method (采购方式). Record it first."
        )))  # fmt: skip
    elif project.procurement_method in TENDER_METHODS:
        if not project.bid_opening_date:
            missing.append(Step("bid_opening_date", _(
                "Payments from this project wait for the bid opening (开标) of its tender. Record the "
                "bid opening date first."
            )))  # fmt: skip
        if not project.winner:
            missing.append(Step("winner", _(
                "Payments from this project wait for the winning bidder (中标人). Record the winner first."
            )))  # fmt: skip
    if project.contract_amount is None or not project.contract_date or not project.winner:
        missing.append(Step("contract_date", _(
            "Payments from this project wait for its signed contract (合同). Record the contract amount, "
            "the contractor and the date it was signed first."
        )))  # fmt: skip
    elif project.contract_date > on:
        missing.append(Step("contract_date", _(
            "Payments from this project wait for its contract, signed only on %(date)s."
        ) % {"date": project.contract_date.isoformat()}))  # fmt: skip
    return missing


def contract_total(project: Project) -> Decimal | None:
    """The contract amount plus its recorded changes (补充协议); None without a contract."""
    if project.contract_amount is None:
        return None
    changes = project.contract_changes.aggregate(s=Sum("amount"))["s"] or ZERO
    return project.contract_amount + changes


def project_cap(project: Project) -> Decimal:
    """What the project may pay in total: its investment review's approved amount, else its budget."""
    return project.review_approved_amount if project.review_approved_amount is not None else project.budget


def to_contractor(project: Project) -> Q | None:
    """Requests paying the project's contractor, whatever their kind: to its payee record, or (made
    before payees were recorded) to an organisation named as its winner; None without either.
    Reconciliation's `over_contract` (selectors.flags) counts the same payments."""
    parts = []
    if project.contractor_id:
        parts.append(Q(payee_id=project.contractor_id))
    if project.winner:
        parts.append(Q(payee__isnull=True, payee_kind=PayeeKind.ORGANISATION, payee_name=project.winner))
    return functools.reduce(operator.or_, parts) if parts else None


def pays_contractor(project: Project, request: DisbursementRequest) -> bool:
    """`to_contractor` of one request in hand, read in Python (RuleReads takes a request out of its sums)."""
    if project.contractor_id is not None and request.payee_id == project.contractor_id:
        return True
    return (
        bool(project.winner)
        and request.payee_id is None
        and (request.payee_kind == PayeeKind.ORGANISATION and request.payee_name == project.winner)
    )


def project_committed(project: Project, *, exclude: int | None = None) -> tuple[Decimal, Decimal]:
    """(all payments, payments to its contractor) requested or paid from the project and not undone."""
    qs = DisbursementRequest.objects.filter(project=project, status__in=COMMITTED)
    if exclude:
        qs = qs.exclude(pk=exclude)
    contractor = to_contractor(project)
    extra = {"contractor": Sum("amount", filter=contractor)} if contractor else {}
    sums = qs.aggregate(total=Sum("amount"), **extra)
    return sums["total"] or ZERO, sums.get("contractor") or ZERO


@dataclass
class Assessment:
    """What a payment meets and misses. `refusals` stop it ({field: message}); `flags` are shown
    to the maker before submitting and to the checker before deciding."""

    refusals: dict[str, str] = field(default_factory=dict)
    flags: list[str] = field(default_factory=list)
    balance: Decimal | None = None
    ceiling: Decimal | None = None
    soft_limit: Decimal | None = None
    needs_reason: bool = False
    duplicates: list = field(default_factory=list)

    def refuse(self, field_name: str, message: str) -> None:
        self.refusals.setdefault(field_name, message)


def assess_payment(
    *,
    from_account,
    amount: Decimal,
    kind: str,
    household=None,
    payee=None,
    measure=None,
    limit_reason: str = "",
    confirmed_different: bool = False,
    request_id: int | None = None,
    on: dt.date | None = None,
    made_at: dt.datetime | None = None,
    reads: RuleReads | None = None,
) -> Assessment:
    """The rules of issue 20 for one payment, refused or flagged. Reads only (`reads`: shared with
    other assessments, see RuleReads)."""
    reads = reads or RuleReads()
    result = Assessment(balance=from_account.balance)
    county = from_account.region_id
    project = from_account.project if from_account.kind == AccountKind.PROJECT else None
    # The project chain, its caps and its contractor.
    if project is not None:
        for step in project_chain_missing(project, on=on, reads=reads):
            result.refuse(step.field, step.message)
        total, contractor_total = reads.committed(project, exclude=request_id)
        cap = project_cap(project)
        if total + amount > cap:
            result.refuse("amount", _(
                "This payment would bring the project's payments to %(total)s yuan, above the %(cap)s yuan "
                "approved for it (investment review, else budget)."
            ) % {"total": yuan(total + amount), "cap": yuan(cap)})  # fmt: skip
        to_the_contractor = payee is not None and payee.pk == project.contractor_id
        if kind in CONTRACTOR_KINDS and not to_the_contractor:
            result.refuse("payee", _(
                "Progress payments and retention money go only to the project's winning bidder "
                "recorded as its contractor (%(winner)s)."
            ) % {"winner": project.winner or "—"})  # fmt: skip
        # Every payment to the contractor counts against its contract, whatever its kind ("other" too).
        if kind in CONTRACTOR_KINDS or to_the_contractor:
            limit = reads.contract_total(project)
            if limit is not None and contractor_total + amount > limit:
                result.refuse("amount", _(
                    "Contractor payments would come to %(total)s yuan, above the contract amount plus its "
                    "recorded changes (%(limit)s yuan)."
                ) % {"total": yuan(contractor_total + amount), "limit": yuan(limit)})  # fmt: skip
        elif payee is not None and project.contractor_id and payee.pk != project.contractor_id:
            result.flags.append(
                _("The payee is not the project's contractor (%(winner)s).") % {"winner": project.winner}
            )
    elif kind in CONTRACTOR_KINDS:
        result.refuse("kind", _("Progress payments and retention money are paid from a project account."))
    # The kind's ceiling (refused) and softer limit (a stated reason).
    result.ceiling, result.soft_limit = reads.limits(county, kind)
    label = PaymentKind(kind).label
    if amount > result.ceiling:
        result.refuse("amount", _(
            "The amount is above the ceiling of %(ceiling)s yuan for a %(kind)s."
        ) % {"ceiling": yuan(result.ceiling), "kind": label})  # fmt: skip
    elif amount > result.soft_limit:
        result.needs_reason = True
        if not (limit_reason or "").strip():
            result.refuse("limit_reason", _(
                "The amount is above %(limit)s yuan for a %(kind)s: state the reason for it."
            ) % {"limit": yuan(result.soft_limit), "kind": label})  # fmt: skip
        else:
            result.flags.append(_("Above the limit of %(limit)s yuan; the maker's reason: %(reason)s") % {
                "limit": yuan(result.soft_limit), "reason": limit_reason.strip()})  # fmt: skip
    # The payee's status.
    if household is not None:
        if off_register_now(household, measure):  # the fund error's definition (errors.py)
            result.flags.append(_("The household is %(status)s, not registered (在册).") % {
                "status": household.get_status_display()})  # fmt: skip
        if not household.village_id.startswith(county[:6]):
            result.flags.append(_("The household lives in another county."))
    if measure is not None and reads.paid_this_month(
        measure=measure, household=household, request_id=request_id, on=on
    ):
        result.flags.append(_("This payee was already paid for this measure this month."))
    # The same payee, amount and project within 7 days.
    # A new request looks back 7 days from now; a queued one from when it was made, at earlier ones.
    result.duplicates = reads.duplicates(
        amount=amount, project=project, household=household, payee=payee, until=made_at or timezone.now(),
        request_id=request_id, on=on,
    )  # fmt: skip
    if result.duplicates:
        first = result.duplicates[0]
        message = _(
            "A request with the same payee, amount and project was made on %(date)s (no. %(id)s)."
        ) % {"date": timezone.localtime(first.created_at).date().isoformat(), "id": first.pk}  # fmt: skip
        if confirmed_different:
            result.flags.append(message + " " + _("The maker confirmed this is a different payment."))
        else:
            result.refuse("confirmed_different", message + " " + _(
                "Confirm that this is a different payment to submit it."
            ))  # fmt: skip
    if from_account.balance < amount:
        result.flags.append(_("The account does not hold enough money for this payment at present."))
    return result


def request_flags(request: DisbursementRequest, reads: RuleReads | None = None) -> list[str]:
    """What the checker sees on a pending request: every refusal it would meet today (a request
    queued before a rule started is flagged, not rejected) and every flag. `reads`: shared by the
    requests of a page (`RuleReads.prime` them first)."""
    if request.status != RequestStatus.PENDING:
        return []
    result = assess_payment(
        from_account=request.from_account, amount=request.amount, kind=request.kind,
        household=request.household, payee=request.payee, measure=request.measure,
        limit_reason=request.limit_reason, confirmed_different=request.confirmed_different, request_id=request.pk,
        made_at=request.created_at, reads=reads,
    )  # fmt: skip
    # A queued request is not a repeat of itself or of one queued after it.
    return [*result.refusals.values(), *result.flags]
