"""Entry (识别) and exit (退出) procedures: one step at a time, in order, each with who, when, evidence.

Exit: 民主评议 democratic review → 核实认可 verification (income above the year's poverty line,
all 两不愁三保障 met by their facts on the step's day, the household agrees) → 公告公示 public notice
(at least 7 days; an objection stops it) → 脱贫销号 removal from the register by the county (the
guarantees checked again on its day).

返贫 (return): an exited household goes through the entry steps again — application with its cause
(因病/因残/因灾/因学/…) → village review → township review → public notice → county approval, which
moves it to RETURNED (core.transitions); a stop leaves it exited.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core import uploads
from core.audit import actor_context
from core.exceptions import DomainError, TransitionNotAllowed
from core.scoping import ensure_can_write, scope_depth
from core.transitions import can_transition, record_created, refuse, transition

from ..models import (
    MIN_NOTICE_DAYS,
    NOTICE_STEPS,
    PROCEDURE_STEPS,
    CaseState,
    Household,
    HouseholdStatus,
    Income,
    PovertyCause,
    PovertyLine,
    ProcedureCase,
    ProcedureKind,
    ProcedureStep,
    Step,
    StepEvidence,
)
from ..validation import Errors
from .guarantees import guarantees_check, guarantees_snapshot_refresh
from .status import apply_transition, household_transition

# Steps only the county may record (脱贫销号 and the entry/return approval are county decisions).
COUNTY_STEPS = (Step.COUNTY_APPROVAL, Step.DEREGISTRATION)
# Steps whose minutes must be attached.
EVIDENCE_REQUIRED = (Step.VILLAGE_REVIEW, Step.DEMOCRATIC_REVIEW)
VOTE_STEPS = (Step.VILLAGE_REVIEW, Step.DEMOCRATIC_REVIEW)
EXIT_FROM = (HouseholdStatus.REGISTERED, HouseholdStatus.RETURNED)


def _int(data: dict, field: str, errors: Errors, *, minimum: int = 0) -> int:
    try:
        value = int(data.get(field))
    except (TypeError, ValueError):
        errors.setdefault(field, []).append(_("Enter a whole number."))
        return 0
    if value < minimum:
        errors.setdefault(field, []).append(_("Enter a number of at least %(n)d.") % {"n": minimum})
    return value


def _date(value, field: str, errors: Errors) -> dt.date | None:
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except (TypeError, ValueError):
        errors.setdefault(field, []).append(_("Enter a date as YYYY-MM-DD."))
        return None


def open_case(household: Household) -> ProcedureCase | None:
    return ProcedureCase.objects.filter(household=household, state=CaseState.OPEN).first()


def _check_order(*, household: Household, kind: str, step: str, case: ProcedureCase | None) -> None:
    """Refuse a step that is not the next one of the procedure in progress."""
    labels = dict(Step.choices)
    if step == Step.OBJECTION:
        if case is None or case.kind != kind or case.last_step not in NOTICE_STEPS:
            raise TransitionNotAllowed(
                _("An objection can be recorded only while the public notice is running."), field="step"
            )
        return
    first = PROCEDURE_STEPS[kind][0]
    if case is None or case.kind != kind:
        if case is not None:
            raise TransitionNotAllowed(
                _("The household has another procedure in progress (%(kind)s).")
                % {"kind": case.get_kind_display()},
                field="step",
            )
        if kind == ProcedureKind.ENTRY:
            raise TransitionNotAllowed(_("There is no entry procedure in progress."), field="step")
        if kind == ProcedureKind.RETURN:
            if not can_transition(household, HouseholdStatus.RETURNED):
                raise refuse(household, household.status, HouseholdStatus.RETURNED)
            if step != first:
                raise TransitionNotAllowed(
                    _("No return procedure is in progress: it starts with the %(first)s, not the %(step)s.")
                    % {"first": labels[first], "step": labels[step]},
                    field="step",
                )
            return
        if step != first:
            raise TransitionNotAllowed(
                _("No exit procedure is in progress: it starts with the %(first)s, not the %(step)s.")
                % {"first": labels[first], "step": labels[step]},
                field="step",
            )
        if household.status not in EXIT_FROM:
            raise TransitionNotAllowed(
                _("Only a registered or returned household can exit; this one is “%(status)s”.")
                % {"status": household.get_status_display()},
                field="step",
            )
        return
    expected = case.next_step
    if step != expected:
        raise TransitionNotAllowed(
            _("The %(step)s cannot be recorded now: the next step is the %(next)s.")
            % {"step": labels[step], "next": labels.get(expected, "—")},
            field="step",
        )


def notice_period(data: dict, *, date: dt.date | None, errors: Errors) -> dict:
    """公告公示: the notice's first and last day from `data`, at least MIN_NOTICE_DAYS days, not before
    the step's `date`. Shared by every procedure with a public notice (a household's, a village's exit)."""
    start = _date(data.get("notice_start"), "notice_start", errors)
    end = _date(data.get("notice_end"), "notice_end", errors)
    if not (start and end):
        return {}
    days = (end - start).days + 1
    if days < MIN_NOTICE_DAYS:
        errors.setdefault("notice_end", []).append(
            _("A public notice lasts at least %(min)d days; this one lasts %(days)d.")
            % {"min": MIN_NOTICE_DAYS, "days": days}
        )
    if date and start < date:
        errors.setdefault("notice_start", []).append(_("The notice cannot start before the step's date."))
    return {"notice_start": start.isoformat(), "notice_end": end.isoformat(), "days": days}


def evidence_check(files: list, errors: Errors, *, field: str = "files") -> None:
    """Type and size of each evidence file from its bytes, before anything is written (core.uploads)."""
    for upload in files:
        try:
            uploads.validate_upload(upload, kinds=uploads.EVIDENCE, field=field)
        except uploads.UploadRefused as refused:
            errors.setdefault(field, []).append(f"{upload.name}: {refused.message}")


def evidence_store(files: list, *, folder: str, create, field: str = "files") -> None:
    """Store each checked file (random name, core.uploads) and make its row with `create(path, name)`;
    a file whose row fails is removed."""
    for upload in files:
        stored = uploads.store_upload(upload, kinds=uploads.EVIDENCE, folder=folder, field=field)
        try:
            create(stored.path, stored.original_name)
        except Exception:
            uploads.delete_stored(stored.path)
            raise


def _evidence_folder() -> str:
    return f"households/evidence/{timezone.now():%Y/%m}"


@transaction.atomic
def procedure_step_record(
    *,
    household: Household,
    kind: str,
    step: str,
    actor,
    data: dict | None = None,
    files: list | None = None,
) -> ProcedureStep:
    """Record the next step of the entry or exit procedure. Refused, it changes nothing."""
    data = dict(data or {})
    files = list(files or [])
    ensure_can_write(actor, household.village_id)
    if not actor.has_perm("households.run_procedure"):
        raise DomainError(_("Your role may not run entry and exit procedures."), code="forbidden")
    household = Household.objects.select_for_update().get(pk=household.pk)
    if kind not in ProcedureKind.values or step not in Step.values:
        raise DomainError(_("Unknown procedure step."), field="step")
    case = open_case(household)
    if case is not None:
        case = ProcedureCase.objects.select_for_update().get(pk=case.pk)
    _check_order(household=household, kind=kind, step=step, case=case)
    if step in COUNTY_STEPS:
        depth = scope_depth(actor)
        if depth is None or depth > 6:
            raise DomainError(_("Only the county may record this step."), field="step", code="forbidden")

    errors: Errors = {}
    today = timezone.localdate()
    date = _date(data.get("date") or today, "date", errors)
    if date and date > today:
        errors.setdefault("date", []).append(_("The date cannot be in the future."))
    note = (data.get("note") or "").strip()
    details: dict = {}
    stop_reason = ""
    if case is not None and date:
        last = case.steps.order_by("-date").values_list("date", flat=True).first()
        if last and date < last:
            errors.setdefault("date", []).append(
                _("The date cannot be before the previous step (%(date)s).") % {"date": last.isoformat()}
            )

    if step in VOTE_STEPS:
        attendance = _int(data, "attendance", errors, minimum=1)
        votes_for = _int(data, "votes_for", errors)
        votes_against = _int(data, "votes_against", errors)
        if not errors and votes_for + votes_against > attendance:
            errors.setdefault("votes_for", []).append(
                _("More votes (%(votes)d) than people present (%(n)d).")
                % {"votes": votes_for + votes_against, "n": attendance}
            )
        details.update(attendance=attendance, votes_for=votes_for, votes_against=votes_against)
        if votes_for <= votes_against:
            stop_reason = _("The democratic review did not approve (%(for)d for, %(against)d against).") % {
                "for": votes_for,
                "against": votes_against,
            }
    if step in EVIDENCE_REQUIRED and not files:
        errors.setdefault("files", []).append(_("Attach the minutes of the review."))
    evidence_check(files, errors)
    if step == Step.TOWNSHIP_REVIEW:
        approved = data.get("approved") in (True, "true", "True", "1", "on", 1)
        details["approved"] = approved
        if not approved:
            if not note:
                errors.setdefault("note", []).append(_("Say why the township does not approve."))
            stop_reason = _("The township review did not approve: %(note)s") % {"note": note}
    if step in NOTICE_STEPS:
        details.update(notice_period(data, date=date, errors=errors))
    if step == Step.OBJECTION:
        if len(note) < 2:
            errors.setdefault("note", []).append(_("Record what the objection says."))
        stop_reason = _("Objection during the public notice: %(note)s") % {"note": note}
    if step in COUNTY_STEPS and case is not None and case.notice_end and date and date <= case.notice_end:
        errors.setdefault("date", []).append(
            _("The public notice runs until %(end)s; this step can be recorded from the day after.")
            % {"end": case.notice_end.isoformat()}
        )
    cause = ""
    if kind == ProcedureKind.RETURN and step == Step.APPLICATION:
        cause = data.get("cause") or ""
        if cause not in PovertyCause.values:
            errors.setdefault("cause", []).append(
                _("Choose the cause of the return to poverty (illness, disability, disaster, schooling, …).")
            )
        if len(note) < 2:
            errors.setdefault("note", []).append(_("Say what happened to the household."))
        details["cause"] = cause
    if step == Step.VERIFICATION:
        details.update(_verify_exit(household=household, data=data, errors=errors, on=date))
    if step == Step.DEREGISTRATION and date:
        try:  # 销号: the guarantees again, on the day the county records it
            details["guarantees"] = guarantees_check(household=household, on=date)
        except DomainError as refused:
            for field, messages in refused.as_dict().items():
                errors.setdefault(field, []).extend(messages)
    if errors:
        raise DomainError(errors=errors)

    with actor_context(actor):
        if case is None:
            case = ProcedureCase.objects.create(household=household, kind=kind, started_by=actor, cause=cause)
            record_created(case, actor=actor)
        record = ProcedureStep.objects.create(
            case=case, step=step, actor=actor, date=date, note=note, data=details
        )
        evidence_store(
            files,
            folder=_evidence_folder(),
            create=lambda path, name: StepEvidence.objects.create(step=record, file=path, name=name),
        )
        if step != Step.OBJECTION:
            case.last_step = step
        if step in NOTICE_STEPS:
            case.notice_start = dt.date.fromisoformat(details["notice_start"])
            case.notice_end = dt.date.fromisoformat(details["notice_end"])
        case.save(update_fields=["last_step", "notice_start", "notice_end", "updated_at"])
        if stop_reason:
            transition(
                case, CaseState.STOPPED, actor=actor, note=stop_reason, updates={"stop_reason": stop_reason}
            )
            if kind == ProcedureKind.ENTRY:
                household_transition(
                    household=household, to_status=HouseholdStatus.REJECTED, actor=actor, reason=stop_reason
                )
        elif step == Step.COUNTY_APPROVAL and kind == ProcedureKind.RETURN:
            approved = _("Return to poverty approved by the county (%(cause)s).") % {
                "cause": case.get_cause_display()
            }
            transition(case, CaseState.COMPLETED, actor=actor, note=approved)
            household_transition(
                household=household, to_status=HouseholdStatus.RETURNED, actor=actor, reason=approved
            )
            guarantees_snapshot_refresh(household=household)
        elif step == Step.COUNTY_APPROVAL:
            approved = _("Entry approved by the county.")
            transition(case, CaseState.COMPLETED, actor=actor, note=approved)
            household_transition(
                household=household, to_status=HouseholdStatus.REGISTERED, actor=actor, reason=approved
            )
        elif step == Step.DEREGISTRATION:
            approved = _("Exit approved by the county.")
            transition(case, CaseState.COMPLETED, actor=actor, note=approved)
            household_transition(
                household=household, to_status=HouseholdStatus.EXITED, actor=actor, reason=approved
            )
    return record


def _verify_exit(*, household: Household, data: dict, errors: Errors, on: dt.date | None) -> dict:
    """核实认可: income above the year's line, all five guarantees met by their facts on the step's
    day `on`, the household agrees."""
    try:
        year = int(data.get("year") or timezone.localdate().year)
    except (TypeError, ValueError):
        errors.setdefault("year", []).append(_("Enter a year."))
        return {}
    details: dict = {"year": year}
    line = PovertyLine.objects.filter(year=year).first()
    income = Income.objects.filter(household=household, year=year).first()
    if line is None:
        errors.setdefault("year", []).append(
            _(
                "There is no poverty line for %(year)d: the system administrator records each year's line in "
                "the admin site (Poverty lines)."
            )
            % {"year": year}
        )
    elif income is None:
        errors.setdefault("income", []).append(
            _("No per-capita net income is recorded for %(year)d.") % {"year": year}
        )
    elif income.per_capita_net_income <= line.amount:
        errors.setdefault("income", []).append(
            _(
                "Per-capita net income of %(income)s yuan in %(year)d is not above the poverty line of %(line)s yuan."
            )
            % {"income": f"{income.per_capita_net_income:,.2f}", "year": year, "line": f"{line.amount:,.2f}"}
        )
    if line is not None and income is not None:
        details.update(income=str(income.per_capita_net_income), poverty_line=str(line.amount))
    try:
        details["guarantees"] = guarantees_check(household=household, on=on or timezone.localdate())
    except DomainError as refused:
        for field, messages in refused.as_dict().items():
            errors.setdefault(field, []).extend(messages)
    agrees = data.get("household_agrees") in (True, "true", "True", "1", "on", 1)
    if not agrees:
        errors.setdefault("household_agrees", []).append(_("The household itself must agree to exit."))
    details["household_agrees"] = agrees
    return details


def notice_ended_cases(today: dt.date | None = None):
    """Open cases whose public notice has ended without objection: ready for the county."""
    today = today or timezone.localdate()
    return ProcedureCase.objects.filter(state=CaseState.OPEN, notice_end__lt=today).filter(
        last_step__in=NOTICE_STEPS
    )


def poverty_line(year: int) -> Decimal | None:
    return PovertyLine.objects.filter(year=year).values_list("amount", flat=True).first()


PUBLIC_BOARD_USERNAME = "public-board"


def public_board_actor():
    """The account objections from the village notice board are recorded under (never logs in)."""
    from django.contrib.auth import get_user_model

    user, _created = get_user_model().objects.get_or_create(
        username=PUBLIC_BOARD_USERNAME,
        defaults={"full_name": _("Village notice board (villagers)"), "is_active": False},
    )
    return user


@transaction.atomic
def public_notice_objection_raise(
    *, case: ProcedureCase, reason: str, contact: str = "", source: str = "public_board"
):
    """A villager objects on the public notice board: the notice stops, the objection is a step.

    "公告公示 … any objection stops it": no login, so no user permission to check; the board
    (inspections) throttles and records the complaint as a finding for inspectors.
    """
    case = ProcedureCase.objects.select_for_update().get(pk=case.pk)
    household = Household.objects.select_for_update().get(pk=case.household_id)
    today = timezone.localdate()
    if case.state != CaseState.OPEN or case.last_step not in NOTICE_STEPS:
        raise TransitionNotAllowed(
            _("An objection can be recorded only while the public notice is running."), field="case"
        )
    if case.notice_end and today > case.notice_end:
        raise TransitionNotAllowed(_("This public notice has ended."), field="case")
    note = (reason or "").strip()[:2000]
    if len(note) < 2:
        raise DomainError(_("Record what the objection says."), field="reason")
    actor = public_board_actor()
    stop_reason = _("Objection during the public notice: %(note)s") % {"note": note}
    with actor_context(actor, source=source):
        step = ProcedureStep.objects.create(
            case=case, step=Step.OBJECTION, actor=actor, date=today, note=note,
            data={"source": source, "contact_given": bool((contact or "").strip())},
        )  # fmt: skip
        transition(
            case, CaseState.STOPPED, actor=actor, note=stop_reason, updates={"stop_reason": stop_reason}
        )
        if case.kind == ProcedureKind.ENTRY:
            apply_transition(
                household=household, to_status=HouseholdStatus.REJECTED, actor=actor, reason=stop_reason
            )
    return step
