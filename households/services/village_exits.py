"""贫困村退出: a poor village's exit procedure, one step at a time, with the household procedure's
rules for order, dates, evidence and the public notice (services.procedures).

核实 verification (the year's criteria measured: poverty incidence = registered poor people over the
village's registered population of the year, below the year's threshold; the collective income at
least the year's minimum; every infrastructure item with its evidence) → 乡镇审核 township review →
公告公示 public notice (at least 7 days; an objection stops it) → 县级审定 county approval (the incidence
measured again on its day), which moves the poor village to exited with the case's year.
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.audit import actor_context
from core.exceptions import DomainError, TransitionNotAllowed
from core.models import Region, RegionLevel
from core.scoping import ensure_can_write, scope_depth
from core.transitions import record_created, transition

from ..models import (
    CaseState,
    HouseholdStatus,
    InfrastructureItem,
    Member,
    PoorVillage,
    PoorVillageStatus,
    Step,
    VillageExitCase,
    VillageExitEvidence,
    VillageExitStandard,
    VillageExitStep,
    VillagePopulation,
)
from ..validation import Errors
from .procedures import _date, evidence_check, evidence_store, notice_period
from .villages import poor_village_exit

POOR_STATUSES = (HouseholdStatus.REGISTERED, HouseholdStatus.RETURNED)
TRUE = (True, "true", "True", "1", "on", 1)


def poor_population(village_code: str) -> int:
    """The village's registered poor people: active members of its registered and returned households."""
    return Member.objects.filter(
        household__village_id=village_code, household__status__in=POOR_STATUSES, is_active=True
    ).count()


def incidence(poor: int, population: int) -> Decimal:
    """Poverty incidence in percent, two decimals."""
    return (Decimal(poor) * 100 / Decimal(population)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _require_run(actor, village_code: str) -> None:
    ensure_can_write(actor, village_code)
    if not actor.has_perm("households.run_village_exit"):
        raise DomainError(_("Your role may not run a village's exit procedure."), code="forbidden")


@transaction.atomic
def village_population_record(*, actor, village: Region, year, registered_population) -> VillagePopulation:
    """户籍人口: the village's registered population in `year` (recorded again, it is corrected)."""
    _require_run(actor, village.code)
    errors: Errors = {}
    if village.level != RegionLevel.VILLAGE:
        raise DomainError(_("Choose a village."), field="village")
    try:
        year = int(year)
    except (TypeError, ValueError):
        year = 0
    this_year = timezone.localdate().year
    if not 2000 <= year <= this_year + 1:
        errors.setdefault("year", []).append(
            _("Enter a year between 2000 and %(last)d.") % {"last": this_year + 1}
        )
    try:
        population = int(registered_population)
    except (TypeError, ValueError):
        population = 0
    if population < 1:
        errors.setdefault("registered_population", []).append(
            _("Enter a number of at least %(n)d.") % {"n": 1}
        )
    elif population < (poor := poor_population(village.code)):
        errors.setdefault("registered_population", []).append(
            _("The registered population cannot be below the %(n)d registered poor people of the village.")
            % {"n": poor}
        )
    if errors:
        raise DomainError(errors=errors)
    with actor_context(actor):
        record, _created = VillagePopulation.objects.update_or_create(
            village=village, year=year, defaults={"registered_population": population, "recorded_by": actor}
        )
    return record


def open_village_case(poor_village: PoorVillage) -> VillageExitCase | None:
    return VillageExitCase.objects.filter(poor_village=poor_village, state=CaseState.OPEN).first()


def _check_order(*, poor_village: PoorVillage, step: str, case: VillageExitCase | None) -> None:
    labels = dict(Step.choices)
    if step == Step.OBJECTION:
        if case is None or case.last_step != Step.EXIT_NOTICE:
            raise TransitionNotAllowed(
                _("An objection can be recorded only while the public notice is running."), field="step"
            )
        return
    if case is None:
        if poor_village.status != PoorVillageStatus.POOR:
            raise TransitionNotAllowed(_("This village has already exited."), field="step")
        if step != Step.VERIFICATION:
            raise TransitionNotAllowed(
                _("No exit procedure is in progress: it starts with the %(first)s, not the %(step)s.")
                % {"first": labels[Step.VERIFICATION], "step": labels.get(step, step)},
                field="step",
            )
        return
    if step != case.next_step:
        raise TransitionNotAllowed(
            _("The %(step)s cannot be recorded now: the next step is the %(next)s.")
            % {"step": labels.get(step, step), "next": labels.get(case.next_step, "—")},
            field="step",
        )


def measure_criteria(*, village_code: str, year: int, errors: Errors) -> dict:
    """The incidence part of the criteria for `year`: the standard, the population, the poor people."""
    standard = VillageExitStandard.objects.filter(year=year).first()
    record = VillagePopulation.objects.filter(village_id=village_code, year=year).first()
    if standard is None:
        errors.setdefault("year", []).append(
            _("There is no village exit standard for %(year)d.") % {"year": year}
        )
    if record is None:
        errors.setdefault("registered_population", []).append(
            _("Record the village's registered population for %(year)d first.") % {"year": year}
        )
    if standard is None or record is None:
        return {}
    poor = poor_population(village_code)
    rate = incidence(poor, record.registered_population)
    if rate >= standard.max_incidence:
        errors.setdefault("incidence", []).append(
            _("Poverty incidence %(rate)s%% (%(poor)d of %(population)d people) is not below %(max)s%%.")
            % {
                "rate": rate,
                "poor": poor,
                "population": record.registered_population,
                "max": standard.max_incidence,
            }
        )
    return {
        "year": year, "registered_population": record.registered_population, "poor_population": poor,
        "incidence": str(rate), "max_incidence": str(standard.max_incidence),
        "min_collective_income": str(standard.min_collective_income),
    }  # fmt: skip


def _verification(*, poor_village, data: dict, item_files: dict, errors: Errors) -> dict:
    try:
        year = int(data.get("year") or timezone.localdate().year)
    except (TypeError, ValueError):
        errors.setdefault("year", []).append(_("Enter a year."))
        return {}
    details = measure_criteria(village_code=poor_village.village_id, year=year, errors=errors)
    details["year"] = year
    try:
        income = Decimal(str(data.get("collective_income", "")).replace(",", "").strip())
        if not income.is_finite() or income < 0:
            raise InvalidOperation
    except (InvalidOperation, ValueError):
        errors.setdefault("collective_income", []).append(
            _("Enter the collective income in yuan (0 or more).")
        )
        income = None
    minimum = details.get("min_collective_income")
    if income is not None and minimum is not None and income < Decimal(minimum):
        errors.setdefault("collective_income", []).append(
            _("A collective income of %(income)s yuan is below the year's minimum of %(min)s yuan.")
            % {"income": f"{income:,.2f}", "min": f"{Decimal(minimum):,.2f}"}
        )
    if income is not None:
        details["collective_income"] = str(income.quantize(Decimal("0.01")))
    for item, label in InfrastructureItem.choices:
        field = f"evidence_{item}"
        if not item_files.get(item):
            errors.setdefault(field, []).append(_("Attach the evidence of “%(item)s”.") % {"item": label})
        evidence_check(list(item_files.get(item) or []), errors, field=field)
    details["items"] = [item for item in InfrastructureItem.values if item_files.get(item)]
    return details


@transaction.atomic
def village_exit_step_record(
    *,
    poor_village: PoorVillage,
    step: str,
    actor,
    data: dict | None = None,
    files: list | None = None,
    item_files: dict | None = None,
) -> VillageExitStep:
    """Record the next step of the village's exit. Refused, it changes nothing.

    `item_files`: infrastructure item → its evidence files (the verification needs one for each);
    `files`: the step's other papers (the township's opinion, the notice's photo, …)."""
    data = dict(data or {})
    files = list(files or [])
    item_files = {k: list(v or []) for k, v in (item_files or {}).items() if k in InfrastructureItem.values}
    _require_run(actor, poor_village.village_id)
    poor_village = PoorVillage.objects.select_for_update().get(pk=poor_village.pk)
    if step not in Step.values:
        raise DomainError(_("Unknown procedure step."), field="step")
    case = open_village_case(poor_village)
    if case is not None:
        case = VillageExitCase.objects.select_for_update().get(pk=case.pk)
    _check_order(poor_village=poor_village, step=step, case=case)
    if step == Step.COUNTY_APPROVAL:
        depth = scope_depth(actor)
        if depth is None or depth > 6:
            raise DomainError(_("Only the county may record this step."), field="step", code="forbidden")

    errors: Errors = {}
    today = timezone.localdate()
    date = _date(data.get("date") or today, "date", errors)
    if date and date > today:
        errors.setdefault("date", []).append(_("The date cannot be in the future."))
    if case is not None and date:
        last = case.steps.order_by("-date").values_list("date", flat=True).first()
        if last and date < last:
            errors.setdefault("date", []).append(
                _("The date cannot be before the previous step (%(date)s).") % {"date": last.isoformat()}
            )
    note = (data.get("note") or "").strip()
    details: dict = {}
    stop_reason = ""
    evidence_check(files, errors)
    if step == Step.VERIFICATION:
        details = _verification(poor_village=poor_village, data=data, item_files=item_files, errors=errors)
    elif step == Step.TOWNSHIP_REVIEW:
        approved = data.get("approved") in TRUE
        details["approved"] = approved
        if not approved:
            if not note:
                errors.setdefault("note", []).append(_("Say why the township does not approve."))
            stop_reason = _("The township review did not approve: %(note)s") % {"note": note}
    elif step == Step.EXIT_NOTICE:
        details = notice_period(data, date=date, errors=errors)
    elif step == Step.OBJECTION:
        if len(note) < 2:
            errors.setdefault("note", []).append(_("Record what the objection says."))
        stop_reason = _("Objection during the public notice: %(note)s") % {"note": note}
    elif step == Step.COUNTY_APPROVAL:
        if case.notice_end and date and date <= case.notice_end:
            errors.setdefault("date", []).append(
                _("The public notice runs until %(end)s; this step can be recorded from the day after.")
                % {"end": case.notice_end.isoformat()}
            )
        # 审定: the incidence again, on the day the county decides.
        details = measure_criteria(village_code=poor_village.village_id, year=case.year, errors=errors)
    if errors:
        raise DomainError(errors=errors)

    with actor_context(actor):
        if case is None:
            case = VillageExitCase.objects.create(
                poor_village=poor_village, year=details["year"], started_by=actor
            )
            record_created(case, actor=actor)
        record = VillageExitStep.objects.create(
            case=case, step=step, actor=actor, date=date, note=note, data=details
        )
        folder = f"households/village-evidence/{timezone.now():%Y/%m}"
        for item, uploads_ in item_files.items():
            evidence_store(
                uploads_, folder=folder, field=f"evidence_{item}",
                create=lambda path, name, item=item: VillageExitEvidence.objects.create(
                    step=record, item=item, file=path, name=name
                ),
            )  # fmt: skip
        evidence_store(
            files, folder=folder,
            create=lambda path, name: VillageExitEvidence.objects.create(step=record, file=path, name=name),
        )  # fmt: skip
        if step != Step.OBJECTION:
            case.last_step = step
        if step == Step.EXIT_NOTICE:
            case.notice_start = dt.date.fromisoformat(details["notice_start"])
            case.notice_end = dt.date.fromisoformat(details["notice_end"])
        case.save(update_fields=["last_step", "notice_start", "notice_end", "updated_at"])
        if stop_reason:
            transition(
                case, CaseState.STOPPED, actor=actor, note=stop_reason, updates={"stop_reason": stop_reason}
            )
        elif step == Step.COUNTY_APPROVAL:
            approved = _("Village exit approved by the county.")
            transition(case, CaseState.COMPLETED, actor=actor, note=approved)
            poor_village_exit(poor_village=poor_village, actor=actor, year=case.year, note=approved)
    return record
