"""Month-end batch review (资金一笔一笔审核, issue 20.3): open a batch, show a page, confirm it.

Confirming a page approves each selected request on its own, through the single approval
(`disbursement_approve`: maker ≠ checker, balance, scope, idempotency, one entry per request):

- the page is claimed first by a conditional UPDATE (confirmed once, whatever the double click);
- the households' payee accounts are made before any lock is taken (their unique index would
  otherwise make two checkers wait on each other's uncommitted account);
- then in chunks of CHUNK requests, one transaction each: the chunk's request rows are locked in id
  order (two checkers with overlapping batches queue on the first shared row instead of
  deadlocking), a request no longer pending is listed with what became of it, and every pending
  one is approved in its own savepoint — a refusal (insufficient funds, the checker's own request)
  rolls back that request alone and is listed, the rest are approved; the chunk's flags are read
  again after the lock, and a request flagged since its page was shown (its household exited or
  was removed meanwhile) is not approved without a note but listed with the new flags;
- each approval writes its `BatchApproval` (batch, page shown, checker, the note on its flags) in
  the same savepoint; its status-change row names the batch and page.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import DatabaseError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.exceptions import ConflictError, DomainError
from core.scoping import ensure_can_write

from ..models import (
    Account,
    AccountKind,
    BatchApproval,
    DisbursementRequest,
    PayeeKind,
    RequestStatus,
    ReviewBatch,
    ReviewPage,
)
from ..selectors.batches import ROW_FLAGS, batch_candidates, page_rows
from .disbursements import disbursement_approve
from .ledger import household_payee_account

User = get_user_model()
CHUNK = 50  # requests per transaction: locks held for one chunk, not the whole page
MAX_BATCH = 20_000


def _may_check(actor) -> None:
    ensure_can_write(actor)
    if not actor.has_perm("funds.approve_disbursementrequest"):
        raise DomainError(_("Only finance officers may approve disbursements."), code="permission_denied")


def batch_open(*, actor, from_account: Account, month: dt.date, purpose: str = "") -> ReviewBatch:
    """Open the pending requests of an account made in a month (of one purpose) as a batch."""
    _may_check(actor)
    ensure_can_write(actor, from_account.region_id)
    if from_account.kind not in (AccountKind.COUNTY, AccountKind.PROJECT):
        raise DomainError(_("Choose a county allocation or a project account."), field="from_account")
    month = month.replace(day=1)
    purpose = (purpose or "").strip()[:200]
    rows = list(batch_candidates(actor=actor, from_account=from_account, month=month, purpose=purpose)
                .values_list("pk", "amount"))  # fmt: skip
    if not rows:
        raise DomainError(_("No request of this account and month awaits review."), field="month")
    if len(rows) > MAX_BATCH:
        raise DomainError(
            _("More than %(n)d requests: choose a purpose to make the batch smaller.") % {"n": MAX_BATCH},
            field="purpose",
        )
    return ReviewBatch.objects.create(
        from_account=from_account, purpose=purpose, month=month, region_id=from_account.region_id,
        request_ids=[pk for pk, _amount in rows], count=len(rows),
        total=sum((amount for _pk, amount in rows), Decimal("0.00")), opened_by=actor,
    )  # fmt: skip


def page_show(*, actor, batch: ReviewBatch, number: int):
    """The page `number` of the batch as shown to `actor` now: (ReviewPage, rows).

    What is shown is recorded (the ids and each row's flags); showing the same page again
    unchanged reuses the record."""
    _may_check(actor)
    if not 1 <= number <= batch.pages:
        raise DomainError(_("The batch has %(n)d pages.") % {"n": batch.pages}, field="page")
    rows = page_rows(actor=actor, ids=batch.ids_on_page(number))
    ids = [row.request.pk for row in rows]
    flagged = {str(row.request.pk): row.flags for row in rows if row.flags and row.pending}
    page = (
        ReviewPage.objects.filter(batch=batch, number=number, checker=actor, confirmed_at__isnull=True)
        .order_by("-id")
        .first()
    )
    if page is None or page.request_ids != ids or page.flagged != flagged:
        page = ReviewPage.objects.create(
            batch=batch, number=number, checker=actor, request_ids=ids, flagged=flagged
        )
    return page, rows


def _note(batch: ReviewBatch, page: ReviewPage, note: str) -> str:
    text = _("Approved in batch #%(batch)s, page %(page)s") % {"batch": batch.pk, "page": page.number}
    return f"{text}: {note}" if note else text


def _refusal(status: str, checker) -> str:
    label = dict(RequestStatus.choices).get(status, status)
    if checker is not None:
        return _("Already %(status)s by %(who)s.") % {"status": label, "who": checker}
    return _("Already %(status)s.") % {"status": label}


def _newly_flagged(row, codes: list[str]) -> str:
    """Why a row flagged since its page was shown, and without a note, is not approved."""
    words = [str(m) for m in row.rule_messages] if "payment_rules" in codes else []
    words = [str(ROW_FLAGS[code]) for code in codes if code != "payment_rules"] + words
    return _(
        "Flagged since the page was shown (%(flags)s); not approved without a note. Show the page again "
        "and tick it with a note."
    ) % {"flags": "; ".join(words)}


def page_confirm(*, actor, page: ReviewPage, selected, notes: dict | None = None) -> ReviewPage:
    """Approve each selected request of the page on its own; returns the page with `approved_ids`
    and `failures` (request id → why) filled."""
    _may_check(actor)
    batch = page.batch
    ensure_can_write(actor, batch.region_id)
    if page.checker_id != actor.pk:
        raise DomainError(
            _("This page was shown to another checker; open it yourself."), code="not_your_page"
        )
    shown = set(page.request_ids)
    chosen = sorted({int(pk) for pk in selected})
    if not chosen:
        raise DomainError(_("Select at least one request to approve."), field="selected")
    if not set(chosen) <= shown:
        raise DomainError(_("Only requests shown on this page can be approved here."), field="selected")
    notes = {int(k): (v or "").strip()[:300] for k, v in (notes or {}).items()}
    missing = [pk for pk in chosen if page.flagged.get(str(pk)) and not notes.get(pk)]
    if missing:
        raise DomainError(
            _("Flagged requests need a note of their own: %(ids)s.")
            % {"ids": ", ".join(f"#{pk}" for pk in missing)},
            field="notes",
        )
    # Claim the page: confirmed once, whoever double-clicks.
    claimed = ReviewPage.objects.filter(pk=page.pk, confirmed_at__isnull=True).update(
        confirmed_at=timezone.now(), selected_ids=chosen
    )
    if not claimed:
        raise ConflictError(
            _("This page was already confirmed; open the batch again."), code="page_confirmed"
        )

    fund = batch.from_account.fund
    households = {
        r.household_id: r.household
        for r in DisbursementRequest.objects.filter(pk__in=chosen, household__isnull=False).select_related(
            "household"
        )
    }
    have = set(
        Account.objects.filter(
            fund=fund, kind=AccountKind.PAYEE, payee_kind=PayeeKind.HOUSEHOLD, household_id__in=households
        ).values_list("household_id", flat=True)
    )
    for household_id, household in households.items():
        if household_id not in have:
            household_payee_account(fund, household)

    approved: list[int] = []
    failures: dict[str, str] = {}
    for start in range(0, len(chosen), CHUNK):
        chunk = chosen[start : start + CHUNK]
        with transaction.atomic():
            locked = list(
                DisbursementRequest.objects.select_for_update(of=("self",))
                .filter(pk__in=chunk)
                .order_by("pk")
            )
            # Who decided a request another checker took meanwhile: read after the lock (a join
            # under FOR UPDATE would show the row as it was before that checker's commit).
            deciders = {
                u.pk: u for u in User.objects.filter(pk__in={r.checker_id for r in locked if r.checker_id})
            }
            # The flags as they are now, read after the lock: a household that exited or was removed
            # since the page was shown, a payment made meanwhile, a project rule that now refuses it.
            now = {
                row.request.pk: row
                for row in page_rows(
                    actor=actor, ids=[r.pk for r in locked if r.status == RequestStatus.PENDING]
                )
            }
            for request in locked:
                if request.status != RequestStatus.PENDING:
                    failures[str(request.pk)] = _refusal(request.status, deciders.get(request.checker_id))
                    continue
                flags = page.flagged.get(str(request.pk), [])
                row = now.get(request.pk)
                newly = [code for code in (row.flags if row else []) if code not in flags]
                if newly:
                    if not notes.get(request.pk):
                        failures[str(request.pk)] = _newly_flagged(row, newly)
                        continue
                    flags = [*flags, *newly]  # approved with the checker's note, every flag recorded
                try:
                    with transaction.atomic():
                        disbursement_approve(
                            actor=actor, request=request, note=_note(batch, page, notes.get(request.pk, ""))
                        )
                        BatchApproval.objects.create(
                            request=request, batch=batch, page=page, checker=actor, flags=flags,
                            note=notes.get(request.pk, "") if flags else "",
                        )  # fmt: skip
                except DomainError as error:
                    failures[str(request.pk)] = str(error.message)
                except DatabaseError as error:  # listed, never hidden; the others go on
                    failures[str(request.pk)] = _("The database refused it: %(error)s") % {
                        "error": str(error).splitlines()[0]
                    }
                else:
                    approved.append(request.pk)
    ReviewPage.objects.filter(pk=page.pk).update(approved_ids=approved, failures=failures)
    page.refresh_from_db()
    return page
