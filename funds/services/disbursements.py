"""资金拨付: request (maker) → approve (checker, posts to the ledger) or reject (with a reason).

Every move of a request's status goes through `core.transitions.transition` (the map on
`DisbursementRequest.transitions`) and writes one `DisbursementStatusChange` row; a new request
gets its '' → pending row.

Maker ≠ checker is checked here and by the CHECK constraint `request_maker_is_not_checker`.
The idempotency key is UNIQUE: a repeated or retried request returns the first one, and a
request posts at most one entry (UNIQUE on entry.request), so it pays once.
"""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.audit import actor_context
from core.exceptions import ConflictError, DomainError
from core.scoping import ensure_can_write, in_scope
from core.transitions import can_transition, record_created, refuse, transition

from ..models import (
    Account,
    AccountKind,
    DisbursementRequest,
    EntryKind,
    Payee,
    PayeeKind,
    PaymentKind,
    RequestStatus,
)
from ..selectors.rules import Assessment, assess_payment
from .ledger import (
    entry_reverse,
    household_payee_account,
    money,
    organisation_payee_account,
    post_entry,
)
from .rules import contractor_record, payee_record

_FOREIGN_KEYS = [f.name for f in DisbursementRequest._meta.concrete_fields if f.is_relation]


def _same_request(existing: DisbursementRequest, fields: dict) -> bool:
    return all(getattr(existing, name) == value for name, value in fields.items())


@transaction.atomic
def disbursement_request_create(
    *,
    actor,
    idempotency_key: str,
    from_account: Account,
    amount,
    purpose: str,
    payee_kind: str,
    household=None,
    payee_name: str = "",
    measure=None,
    payee: Payee | None = None,
    kind: str | None = None,
    limit_reason: str = "",
    confirmed_different: bool = False,
) -> tuple[DisbursementRequest, bool]:
    """Make a request. Returns (request, created); a repeat of the same key returns the first.

    Refused, naming the field, when the rules of `selectors.rules.assess_payment` are not met: a
    project's missing step (投资评审, 采购方式, 开标, 中标人, 合同), its caps, the contractor, the
    kind's ceiling, a softer limit without a reason, the same payee, amount and project within
    7 days without the maker's confirmation. Nothing is saved then."""
    key = (idempotency_key or "").strip()
    if not key or len(key) > 64:
        raise DomainError(_("Send an idempotency key of 1 to 64 characters."), field="idempotency_key")
    ensure_can_write(actor, from_account.region_id)
    if not actor.has_perm("funds.add_disbursementrequest"):
        raise DomainError(_("Only finance officers may request disbursements."), code="permission_denied")
    amount = money(amount)
    purpose = (purpose or "").strip()
    if not purpose:
        raise DomainError(_("State the purpose of the payment."), field="purpose")
    resolved = _resolve_payment(
        actor=actor, from_account=from_account, payee_kind=payee_kind, household=household,
        payee_name=payee_name, payee=payee, kind=kind, measure=measure,
    )  # fmt: skip
    household, payee, kind = resolved["household"], resolved["payee"], resolved["kind"]
    fields = {
        "from_account_id": from_account.pk,
        "measure_id": getattr(measure, "pk", None),
        "amount": amount,
        "payee_kind": payee_kind,
        "household_id": getattr(household, "pk", None),
        "payee_name": resolved["payee_name"][:100],
    }

    existing = DisbursementRequest.objects.filter(idempotency_key=key).first()
    if existing is None:
        # Requests from one project queue here, so each sees the others in the project's caps
        # (approved amount, contract): two that each fit cannot together exceed them. Then two makers
        # (or Back + resubmit) with the same payee and amount queue, so the second sees the first in
        # the 7-day check below. Always in this order: project, then payee.
        if from_account.kind == AccountKind.PROJECT and from_account.project_id:
            _lock_project(from_account.project_id)
        _lock_payee(household=household, payee=payee, amount=amount)
        assessment = assess_payment(
            from_account=from_account, amount=amount, kind=kind, household=household, payee=payee,
            measure=measure, limit_reason=limit_reason, confirmed_different=confirmed_different,
        )  # fmt: skip
        if assessment.refusals:
            raise DomainError(errors=assessment.refusals, code="payment_refused")
        request = DisbursementRequest(
            idempotency_key=key, project_id=from_account.project_id, purpose=purpose[:200],
            region_id=from_account.region_id, maker=actor, payee=payee, kind=kind,
            limit_reason=(limit_reason or "").strip()[:300] if assessment.needs_reason else "",
            confirmed_different=bool(confirmed_different and assessment.duplicates), **fields,
        )  # fmt: skip
        # The fields' own rules (lengths, choices, decimals) in Python. Not re-asked of the
        # database, one round trip (and a savepoint) each: the existence of the rows this function
        # was handed (the FK constraints check it at COMMIT), and the CHECK constraints, which hold
        # by construction above (amount > 0, a pending request has no checker, payee fields by
        # kind) and which PostgreSQL enforces on the INSERT.
        request.full_clean(exclude=_FOREIGN_KEYS, validate_unique=False, validate_constraints=False)
        try:
            # A concurrent request with the same key waits on the unique index here and then
            # fails; it then reads the winner's row below.
            with transaction.atomic(), actor_context(actor):
                request.save(force_insert=True)
                record_created(request, actor=actor)
        except IntegrityError:
            existing = DisbursementRequest.objects.filter(idempotency_key=key).first()
            if existing is None:
                raise  # not the idempotency key: a constraint refused the row
        else:
            return request, True
    if not _same_request(existing, fields):
        raise ConflictError(
            _("This idempotency key was already used for a different request."), field="idempotency_key"
        )
    return existing, False


def _resolve_payment(*, actor, from_account, payee_kind, household, payee_name, payee, kind, measure) -> dict:
    """The payee (a household, or a payee record), the kind of payment and the measure, checked
    against the account's county and the actor's scope."""
    if from_account.kind not in (AccountKind.COUNTY, AccountKind.PROJECT):
        raise DomainError(_("Pay from a county allocation or a project account."), field="from_account")
    county_prefix = from_account.region_id[:6]
    project = from_account.project if from_account.kind == AccountKind.PROJECT else None
    if payee_kind == PayeeKind.HOUSEHOLD:
        if household is None:
            raise DomainError(_("Choose the household to be paid."), field="household")
        if not household.village_id.startswith(county_prefix) or not in_scope(actor, household.village_id):
            raise DomainError(_("The household must live in the county of the account."), field="household")
        payee, payee_name = None, household.head_name
    elif payee_kind == PayeeKind.ORGANISATION:
        household = None
        if project is not None and project.winner:
            contractor_record(project)  # the recorded winner as a payee record, if not yet
        if payee is None:
            # A name sent without a record (API clients of before): the project's recorded winner,
            # else the county's payee of that name, recorded now. Pages choose from the list.
            name = (payee_name or "").strip()
            if not name:
                raise DomainError(_("Name the enterprise or cooperative to be paid."), field="payee_name")
            if project is not None and project.winner == name:
                payee = contractor_record(project)
            else:
                payee = payee_record(county_id=from_account.region_id, name=name)
        elif not payee.county_id.startswith(county_prefix):
            raise DomainError(_("Choose a payee of the account's county."), field="payee")
        payee_name = payee.name
    else:
        raise DomainError(_("Choose the kind of payee."), field="payee_kind")
    if not kind:
        if household is not None:
            kind = PaymentKind.SUBSIDY
        elif project is not None and payee.pk == project.contractor_id:
            kind = PaymentKind.PROGRESS
        else:
            kind = PaymentKind.OTHER
    if kind not in PaymentKind.values:
        raise DomainError(_("Choose the kind of payment."), field="kind")
    if kind == PaymentKind.SUBSIDY and household is None:
        raise DomainError(_("A household subsidy is paid to a household."), field="kind")
    if measure is not None:
        plan_household = measure.plan.household
        if not in_scope(actor, plan_household.village_id):
            raise DomainError(_("Choose a measure of a household in your region."), field="measure")
        # The measure touches its household's county: the account's, whoever the payee (issue 15.4).
        if not plan_household.village_id.startswith(county_prefix):
            raise DomainError(
                _("The measure must belong to a household in the county of the account."), field="measure"
            )
        if household is not None and plan_household.pk != household.pk:
            raise DomainError(_("The measure belongs to another household's plan."), field="measure")
    return {"household": household, "payee": payee, "payee_name": payee_name, "kind": kind}


# The advisory lock class of a project's payment requests (two-key form: its own key space).
PROJECT_REQUESTS_LOCK = 0x2D01


def _lock_project(project_id: int) -> None:
    """A transaction lock on the project: its requests are made one at a time, each computing the
    caps with the ones before it committed. Not the project row: approvals and foreign-key checks
    of other requests read it and need not wait."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [PROJECT_REQUESTS_LOCK, project_id])


def _lock_payee(*, household, payee, amount) -> None:
    """A transaction lock on (payee, amount): requests for the same payment are made one at a time."""
    key = f"funds-request:{getattr(household, 'pk', '')}:{getattr(payee, 'pk', '')}:{amount}"
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [key])


def disbursement_request_preview(
    *,
    actor,
    from_account: Account,
    amount,
    payee_kind: str,
    household=None,
    payee: Payee | None = None,
    payee_name: str = "",
    measure=None,
    kind: str | None = None,
    limit_reason: str = "",
    confirmed_different: bool = False,
) -> Assessment:
    """What the maker sees before submitting: the same refusals and flags as the request and
    its checker would meet. Saves nothing (a payee named for the first time is not recorded)."""
    ensure_can_write(actor, from_account.region_id)
    amount = money(amount)
    with transaction.atomic():
        resolved = _resolve_payment(
            actor=actor, from_account=from_account, payee_kind=payee_kind, household=household,
            payee_name=payee_name, payee=payee, kind=kind, measure=measure,
        )  # fmt: skip
        assessment = assess_payment(
            from_account=from_account, amount=amount, kind=resolved["kind"], household=resolved["household"],
            payee=resolved["payee"], measure=measure, limit_reason=limit_reason,
            confirmed_different=confirmed_different,
        )  # fmt: skip
        transaction.set_rollback(True)
    return assessment


@transaction.atomic
def disbursement_withdraw(*, actor, request: DisbursementRequest, reason: str = "") -> DisbursementRequest:
    """The maker takes back a request no one has checked yet; nothing is paid."""
    ensure_can_write(actor)
    request = DisbursementRequest.objects.select_for_update(of=("self",)).get(pk=request.pk)
    ensure_can_write(actor, request.region_id)
    if request.maker_id != actor.pk:
        raise DomainError(_("Only the officer who made a request may withdraw it."), code="permission_denied")
    return transition(request, RequestStatus.WITHDRAWN, actor=actor, note=(reason or "").strip()[:300])


def _lock(request: DisbursementRequest, *, actor) -> DisbursementRequest:
    # The request row only (`of=("self",)`): the joined account is read, not locked. Accounts
    # are locked by `post_entry`, in id order, as the last step before COMMIT; locking the source
    # account here too (and FOR UPDATE, which also blocks the FOR KEY SHARE of foreign-key
    # checks) made concurrent approvals deadlock and serialised each payment's whole work.
    request = (
        DisbursementRequest.objects.select_for_update(of=("self",))
        .select_related("from_account__fund", "household")
        .get(pk=request.pk)
    )
    ensure_can_write(actor, request.region_id)
    if request.maker_id == actor.pk:
        raise DomainError(
            _("You made this request; another finance officer must decide it (maker ≠ checker)."),
            code="maker_is_checker",
        )
    return request


@transaction.atomic
def disbursement_approve(
    *, actor, request: DisbursementRequest, booked_on: dt.date | None = None, note: str = ""
):
    """The checker approves: the payment is posted to the ledger, once. `note` goes on the
    status-change row (a batch approval names its batch, page and the checker's note there).

    The entry commits the money: an organisation is paid by it; a household's payment then goes
    to the bank in a payment file (approved → sent → paid / failed, `services.bank`)."""
    ensure_can_write(actor)
    if not actor.has_perm("funds.approve_disbursementrequest"):
        raise DomainError(_("Only finance officers may approve disbursements."), code="permission_denied")
    request = _lock(request, actor=actor)
    if request.status == RequestStatus.APPROVED and request.checker_id == actor.pk:
        return request  # the same checker's retry (a double click, a timeout): already paid once
    # `transition` re-locks the row this transaction already holds (no new lock, the same order:
    # the request, then the accounts in `post_entry`), refuses a decided request naming both
    # statuses, saves the decision and writes its status-change row. The decision's constraints
    # hold by construction: the checker is not the maker (refused in `_lock`) and an approved
    # request has its checker; PostgreSQL's CHECKs enforce both on the UPDATE. `request` (with
    # its account and household read) is updated in place.
    transition(
        request, RequestStatus.APPROVED, actor=actor, note=note,
        updates={"checker": actor, "decided_at": timezone.now()},
    )  # fmt: skip
    source = request.from_account
    if request.payee_kind == PayeeKind.HOUSEHOLD:
        payee = household_payee_account(source.fund, request.household)
    else:
        payee = organisation_payee_account(source.fund, request.payee_name, source.region_id)
    # Last: every payment of the account queues on its row lock, held from here to COMMIT. A
    # refusal (insufficient funds) rolls the whole approval back. (The ledger has no history
    # triggers: it is append-only and records who posted each entry.)
    post_entry(
        actor=actor, kind=EntryKind.DISBURSEMENT, amount=request.amount, debit=payee, credit=source,
        booked_on=booked_on, memo=request.purpose, request=request,
    )  # fmt: skip
    return request


@transaction.atomic
def disbursement_reject(*, actor, request: DisbursementRequest, reason: str) -> DisbursementRequest:
    """An auditor (or another finance officer) rejects with a reason; nothing is paid."""
    ensure_can_write(actor)
    if not actor.has_perm("funds.reject_disbursementrequest"):
        raise DomainError(_("Your role cannot reject disbursements."), code="permission_denied")
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Give the reason for the rejection."), field="reason")
    request = _lock(request, actor=actor)
    transition(
        request,
        RequestStatus.REJECTED,
        actor=actor,
        note=reason[:300],
        updates={"checker": actor, "decided_at": timezone.now(), "rejection_reason": reason[:300]},
    )
    return request


@transaction.atomic
def disbursement_reverse(
    *, actor, request: DisbursementRequest, reason: str, booked_on: dt.date | None = None
):
    """Reverse a paid request: a reversing entry returns the money to the account it left."""
    ensure_can_write(actor)
    if not actor.has_perm("funds.add_entry"):
        raise DomainError(_("Only finance officers may reverse payments."), code="permission_denied")
    request = DisbursementRequest.objects.get(pk=request.pk)
    # Asked before the ledger is touched (`entry_reverse` moves the status under the lock).
    if not can_transition(request, RequestStatus.REVERSED):
        raise refuse(request, request.status, RequestStatus.REVERSED)
    return entry_reverse(actor=actor, entry=request.entry, reason=reason, booked_on=booked_on)
