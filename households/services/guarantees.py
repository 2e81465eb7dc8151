"""两不愁三保障: recording the facts each guarantee rests on, and the check exit steps make with them.

Each write refreshes the household's five-field snapshot (food_secure … housing_secured) from the
facts, so lists and exports that read the snapshot follow; the exit steps ask the facts themselves
(`guarantees_check`, on the day the step is recorded).
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core import uploads
from core.audit import actor_context
from core.exceptions import DomainError
from core.scoping import ensure_can_write

from ..models import (
    HousingAppraisal,
    HousingGrade,
    IllnessCover,
    LivelihoodStatement,
    MedicalInsurance,
    Member,
)
from ..selectors.guarantees import guarantee_status, unmet_guarantees
from ..validation import Errors
from .common import _lock, _raise

SNAPSHOT_FIELDS = {
    "food": "food_secure",
    "clothing": "clothing_secure",
    "education": "education_secured",
    "medical": "medical_secured",
    "housing": "housing_secured",
}
PERMISSION = "households.change_household"


def _may_record(household, actor) -> None:
    ensure_can_write(actor, household.village_id)
    if not actor.has_perm(PERMISSION):
        raise DomainError(_("Your role may not record a household's facts."), code="forbidden")


def _day(value, field: str, errors: Errors) -> dt.date | None:
    if isinstance(value, dt.date):
        day = value
    else:
        try:
            day = dt.date.fromisoformat(str(value))
        except (TypeError, ValueError):
            errors.setdefault(field, []).append(_("Enter a date as YYYY-MM-DD."))
            return None
    if day > timezone.localdate():
        errors.setdefault(field, []).append(_("The date cannot be in the future."))
    return day


def _year(value, errors: Errors) -> int:
    try:
        year = int(value)
    except (TypeError, ValueError):
        errors.setdefault("year", []).append(_("Enter a year."))
        return 0
    if not 2013 <= year <= timezone.localdate().year + 1:
        errors.setdefault("year", []).append(_("Enter a year from 2013 to next year."))
    return year


def guarantees_snapshot_refresh(*, household) -> dict:
    """Write the five snapshot fields from the facts as they stand today."""
    states = guarantee_status(household)
    values = {SNAPSHOT_FIELDS[k]: s.met for k, s in states.items()}
    changed = [f for f, v in values.items() if getattr(household, f) != v]
    if changed:
        for f in changed:
            setattr(household, f, values[f])
        household.save(update_fields=[*changed, "updated_at"])
    return states


def guarantees_check(*, household, on: dt.date, field: str = "guarantees") -> dict:
    """Refuse (DomainError on `field`, naming each guarantee not met and why) unless all five are met
    on the day `on`; returns {guarantee: state} for the step's record."""
    missing = unmet_guarantees(household, on=on)
    if missing:
        parts = [f"{s.label}（{s.state_label}：{'；'.join(s.reasons)}）" for s in missing]
        raise DomainError(
            _("Not all of “two no-worries, three guarantees” are met: missing %(missing)s.")
            % {"missing": "、".join(parts)},
            field=field,
        )
    return {k: s.state for k, s in guarantee_status(household, on=on).items()}


@transaction.atomic
def livelihood_statement_record(
    *, household, actor, date, food_secure: bool, clothing_secure: bool, stated_by: str, note: str = ""
) -> LivelihoodStatement:
    """不愁吃/不愁穿: what the household (`stated_by`) and the visiting officer (`actor`) state on `date`."""
    _may_record(household, actor)
    household = _lock(household)
    errors: Errors = {}
    day = _day(date, "date", errors)
    stated_by = (stated_by or "").strip()
    if len(stated_by) < 2:
        errors.setdefault("stated_by", []).append(_("Name the household member who made the statement."))
    _raise(errors)
    with actor_context(actor):
        row = LivelihoodStatement.objects.create(
            household=household, date=day, food_secure=bool(food_secure), clothing_secure=bool(clothing_secure),
            stated_by=stated_by[:50], officer=actor, note=(note or "").strip(),
        )  # fmt: skip
        guarantees_snapshot_refresh(household=household)
    return row


@transaction.atomic
def schooling_exemption_record(*, household, member_id: int, actor, reason: str, date) -> object:
    """A member of compulsory-school age exempt from school (免学/缓学), with the decision's date."""
    from ..models import SchoolingExemption

    _may_record(household, actor)
    household = _lock(household)
    errors: Errors = {}
    member = Member.objects.filter(household=household, pk=member_id, is_active=True).first()
    if member is None:
        errors.setdefault("member", []).append(_("Choose a member of this household."))
    day = _day(date, "date", errors)
    reason = (reason or "").strip()
    if len(reason) < 2:
        errors.setdefault("reason", []).append(_("Give the reason for the exemption."))
    _raise(errors)
    with actor_context(actor):
        row = SchoolingExemption.objects.create(
            member=member, reason=reason[:200], date=day, recorded_by=actor
        )
        guarantees_snapshot_refresh(household=household)
    return row


@transaction.atomic
def medical_cover_record(
    *, household, actor, year, insured_member_ids, serious_illness_covered: bool
) -> list[MedicalInsurance]:
    """基本医疗 for a year: which active members are insured (参保; the others are recorded as not)
    and whether the household has serious-illness cover (大病). Recording a year again replaces it."""
    _may_record(household, actor)
    household = _lock(household)
    errors: Errors = {}
    year = _year(year, errors)
    members = list(household.members.filter(is_active=True).order_by("id"))
    ids = {int(i) for i in insured_member_ids or []}
    unknown = ids - {m.pk for m in members}
    if unknown:
        errors.setdefault("insured", []).append(_("Choose members of this household."))
    _raise(errors)
    rows = []
    with actor_context(actor):
        for m in members:
            row, _created = MedicalInsurance.objects.update_or_create(
                member=m,
                year=year,
                defaults={"insured": m.pk in ids, "recorded_by": actor, "at": timezone.now()},
            )
            rows.append(row)
        IllnessCover.objects.update_or_create(
            household=household, year=year,
            defaults={"covered": bool(serious_illness_covered), "recorded_by": actor, "at": timezone.now()},
        )  # fmt: skip
        guarantees_snapshot_refresh(household=household)
    return rows


@transaction.atomic
def housing_appraisal_record(
    *, household, actor, grade: str, date, appraiser: str, photo=None
) -> HousingAppraisal:
    """危房鉴定: the grade, date and appraiser, with a photo (checked and stored by core.uploads)."""
    _may_record(household, actor)
    household = _lock(household)
    errors: Errors = {}
    if grade not in HousingGrade.values:
        errors.setdefault("grade", []).append(_("Choose a grade from A to D."))
    day = _day(date, "date", errors)
    appraiser = (appraiser or "").strip()
    if len(appraiser) < 2:
        errors.setdefault("appraiser", []).append(_("Name the appraiser."))
    if photo is not None:
        try:
            uploads.validate_upload(photo, kinds=uploads.PHOTOS, field="photo")
        except uploads.UploadRefused as refused:
            errors.setdefault("photo", []).append(refused.message)
    _raise(errors)
    stored = None
    if photo is not None:
        folder = f"households/appraisals/{timezone.now():%Y/%m}"
        stored = uploads.store_upload(photo, kinds=uploads.PHOTOS, folder=folder, field="photo")
    try:
        with actor_context(actor):
            row = HousingAppraisal.objects.create(
                household=household, grade=grade, date=day, appraiser=appraiser[:100], recorded_by=actor,
                photo=stored.path if stored else "", photo_name=stored.original_name if stored else "",
            )  # fmt: skip
            guarantees_snapshot_refresh(household=household)
    except Exception:
        if stored:
            uploads.delete_stored(stored.path)
        raise
    return row
