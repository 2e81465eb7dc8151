"""两不愁三保障 from the facts: per guarantee, met / unmet (why) / to be confirmed, on a given day.

`guarantee_status(household, on=day)` is the one reading: the household page, the API, exit
verification and removal (销号) on the day they are recorded, and `Household.guarantees_met` all
ask it. `guarantees_to_confirm(actor=…)` lists the county's households whose evidence is missing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.apps import apps
from django.conf import settings
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import (
    UNSAFE_GRADES,
    Household,
    HouseholdStatus,
    HousingAppraisal,
    IllnessCover,
    LivelihoodStatement,
    MedicalInsurance,
    Member,
    Schooling,
    SchoolingExemption,
)
from .households import household_base

MET, UNMET, TO_CONFIRM = "met", "unmet", "to_confirm"
GUARANTEES = ("food", "clothing", "education", "medical", "housing")
# A food/clothing statement older than this no longer says how the household lives today.
STATEMENT_VALID_DAYS = 365
IN_SCHOOL = (
    Schooling.PRESCHOOL,
    Schooling.PRIMARY,
    Schooling.JUNIOR,
    Schooling.SENIOR,
    Schooling.VOCATIONAL,
)
# assistance.MeasureKind values that make a house safe (read, never written, from here).
HOUSING_MEASURE_KINDS = ("housing_repair", "relocation")
# Households whose guarantees matter: on the register, returned, or exited (watched for 返贫).
WATCHED_STATUSES = (HouseholdStatus.REGISTERED, HouseholdStatus.RETURNED, HouseholdStatus.EXITED)


def compulsory_school_ages() -> tuple[int, int]:
    """义务教育 ages, first and last year included (setting COMPULSORY_SCHOOL_AGES, default 6–15)."""
    low, high = getattr(settings, "COMPULSORY_SCHOOL_AGES", (6, 15))
    return int(low), int(high)


def guarantee_labels() -> dict[str, str]:
    return {
        "food": _("enough food"),
        "clothing": _("enough clothing"),
        "education": _("compulsory education"),
        "medical": _("basic medical care"),
        "housing": _("safe housing"),
    }


def state_labels() -> dict[str, str]:
    return {MET: _("met"), UNMET: _("unmet"), TO_CONFIRM: _("to be confirmed")}


@dataclass
class GuaranteeState:
    key: str
    state: str
    reasons: list[str] = field(default_factory=list)  # why unmet or to be confirmed
    evidence: list[str] = field(default_factory=list)  # what it rests on

    @property
    def met(self) -> bool:
        return self.state == MET

    @property
    def label(self) -> str:
        return guarantee_labels()[self.key]

    @property
    def state_label(self) -> str:
        return state_labels()[self.state]

    def as_dict(self) -> dict:
        return {"state": self.state, "reasons": self.reasons, "evidence": self.evidence}


def age_on(birth: dt.date, on: dt.date) -> int:
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


def _officer_name(user) -> str:
    return getattr(user, "full_name", "") or user.get_username()


def _statement(household: Household, on: dt.date) -> tuple[GuaranteeState, GuaranteeState]:
    statement = (
        LivelihoodStatement.objects.filter(household=household, date__lte=on)
        .select_related("officer")
        .order_by("-date", "-id")
        .first()
    )
    if statement is None:
        reason = _("No dated statement by the household and the visiting officer.")
        return GuaranteeState("food", TO_CONFIRM, [reason]), GuaranteeState("clothing", TO_CONFIRM, [reason])
    evidence = _("Stated on %(date)s by %(who)s and the visiting officer %(officer)s.") % {
        "date": statement.date.isoformat(),
        "who": statement.stated_by,
        "officer": _officer_name(statement.officer),
    }
    if (on - statement.date).days > STATEMENT_VALID_DAYS:
        reason = _("The last statement (%(date)s) is more than a year old.") % {
            "date": statement.date.isoformat()
        }
        return (
            GuaranteeState("food", TO_CONFIRM, [reason], [evidence]),
            GuaranteeState("clothing", TO_CONFIRM, [reason], [evidence]),
        )
    out = []
    for key, ok, lack in (
        ("food", statement.food_secure, _("The household stated it does not have enough food.")),
        ("clothing", statement.clothing_secure, _("The household stated it does not have enough clothing.")),
    ):
        out.append(GuaranteeState(key, MET if ok else UNMET, [] if ok else [lack], [evidence]))
    return out[0], out[1]


def _education(members: list[Member], on: dt.date) -> GuaranteeState:
    low, high = compulsory_school_ages()
    exempt = {
        e.member_id: e
        for e in SchoolingExemption.objects.filter(member__in=members, date__lte=on).order_by("date")
    }
    reasons, evidence = [], []
    for m in members:
        age = age_on(m.birth_date, on)
        if not low <= age <= high:
            continue
        if m.schooling in IN_SCHOOL:
            evidence.append(
                _("%(name)s, aged %(age)d: %(schooling)s.")
                % {"name": m.name, "age": age, "schooling": m.get_schooling_display()}
            )
        elif m.pk in exempt:
            evidence.append(
                _("%(name)s, aged %(age)d: exempt from school since %(date)s (%(reason)s).")
                % {
                    "name": m.name,
                    "age": age,
                    "date": exempt[m.pk].date.isoformat(),
                    "reason": exempt[m.pk].reason,
                }
            )
        else:
            reasons.append(
                _(
                    "%(name)s, aged %(age)d, is of compulsory-school age and %(schooling)s, with no recorded exemption."
                )
                % {"name": m.name, "age": age, "schooling": m.get_schooling_display()}
            )
    if not reasons and not evidence:
        evidence.append(
            _("No member is of compulsory-school age (%(low)d to %(high)d).") % {"low": low, "high": high}
        )
    return GuaranteeState("education", UNMET if reasons else MET, reasons, evidence)


def _medical(household: Household, members: list[Member], on: dt.date) -> GuaranteeState:
    year = on.year
    insured = {i.member_id: i.insured for i in MedicalInsurance.objects.filter(member__in=members, year=year)}
    unmet, unknown, evidence = [], [], []
    not_insured = [m.name for m in members if insured.get(m.pk) is False]
    not_recorded = [m.name for m in members if m.pk not in insured]
    if not_insured:
        unmet.append(
            _("Not insured in %(year)d: %(names)s.") % {"year": year, "names": "、".join(not_insured)}
        )
    if not_recorded:
        unknown.append(
            _("No medical insurance recorded for %(year)d: %(names)s.")
            % {"year": year, "names": "、".join(not_recorded)}
        )
    if members and not not_insured and not not_recorded:
        evidence.append(_("Every member is insured in %(year)d.") % {"year": year})
    cover = IllnessCover.objects.filter(household=household, year=year).first()
    if cover is None:
        unknown.append(_("No serious-illness cover recorded for %(year)d.") % {"year": year})
    elif not cover.covered:
        unmet.append(_("No serious-illness cover in %(year)d.") % {"year": year})
    else:
        evidence.append(_("Serious-illness cover in %(year)d.") % {"year": year})
    state = UNMET if unmet else TO_CONFIRM if unknown else MET
    return GuaranteeState("medical", state, unmet + unknown, evidence)


def housing_measures_done(*, household: Household, since: dt.date, on: dt.date) -> list:
    """Housing measures (危房改造, 易地搬迁) of the household's plans done between the two days:
    read from assistance through its model, never written here (households sits left of it)."""
    Measure = apps.get_model("assistance", "Measure")
    return list(
        Measure.objects.filter(
            plan__household=household,
            kind__in=HOUSING_MEASURE_KINDS,
            status="done",
            actual_end__gte=since,
            actual_end__lte=on,
        ).order_by("actual_end")
    )


def _housing(household: Household, on: dt.date) -> GuaranteeState:
    appraisal = (
        HousingAppraisal.objects.filter(household=household, date__lte=on).order_by("-date", "-id").first()
    )
    if appraisal is None:
        return GuaranteeState("housing", TO_CONFIRM, [_("No housing safety appraisal is recorded.")])
    evidence = [
        _("Appraised %(grade)s on %(date)s by %(appraiser)s.")
        % {
            "grade": appraisal.get_grade_display(),
            "date": appraisal.date.isoformat(),
            "appraiser": appraisal.appraiser,
        }
    ]
    if appraisal.grade not in UNSAFE_GRADES:
        return GuaranteeState("housing", MET, [], evidence)
    done = housing_measures_done(household=household, since=appraisal.date, on=on)
    if done:
        evidence.append(
            _("Housing measure done on %(date)s: %(title)s.")
            % {"date": done[-1].actual_end.isoformat(), "title": done[-1].title}
        )
        return GuaranteeState("housing", MET, [], evidence)
    reason = _("The house is %(grade)s and no housing measure has been done since the appraisal.") % {
        "grade": appraisal.get_grade_display()
    }
    return GuaranteeState("housing", UNMET, [reason], evidence)


def guarantee_status(household: Household, *, on: dt.date | None = None) -> dict[str, GuaranteeState]:
    """Each of the five guarantees of the household as its facts say on the day `on` (today)."""
    on = on or timezone.localdate()
    members = list(household.members.filter(is_active=True).order_by("id"))
    food, clothing = _statement(household, on)
    return {
        "food": food,
        "clothing": clothing,
        "education": _education(members, on),
        "medical": _medical(household, members, on),
        "housing": _housing(household, on),
    }


def unmet_guarantees(household: Household, *, on: dt.date | None = None) -> list[GuaranteeState]:
    """The guarantees not met (unmet or still to be confirmed) on the day."""
    return [s for s in guarantee_status(household, on=on).values() if not s.met]


def to_confirm_conditions(year: int, on: dt.date) -> dict[str, Q]:
    """Per guarantee, the condition "its evidence is missing" as SQL (for the county's list)."""
    recent = on - dt.timedelta(days=STATEMENT_VALID_DAYS)
    statement = LivelihoodStatement.objects.filter(household=OuterRef("pk"), date__gte=recent, date__lte=on)
    uninsured = Member.objects.filter(household=OuterRef("pk"), is_active=True).exclude(
        id__in=MedicalInsurance.objects.filter(year=year).values("member_id")
    )
    return {
        "statement": ~Exists(statement),
        "insurance": Exists(uninsured),
        "cover": ~Exists(IllnessCover.objects.filter(household=OuterRef("pk"), year=year)),
        "appraisal": ~Exists(HousingAppraisal.objects.filter(household=OuterRef("pk"), date__lte=on)),
    }


def guarantees_to_confirm(*, actor, within: str | None = None) -> QuerySet[Household]:
    """Households in the reader's scope (on the register, returned or exited) with a guarantee whose
    evidence is missing — the migrated files whose tick boxes no longer count — each annotated
    with which evidence (`missing_statement`, `missing_insurance`, `missing_cover`, `missing_appraisal`)."""
    on = timezone.localdate()
    conditions = to_confirm_conditions(on.year, on)
    qs = household_base(actor=actor, within=within).filter(status__in=WATCHED_STATUSES)
    qs = qs.annotate(**{f"missing_{k}": v for k, v in conditions.items()})
    any_missing = Q()
    for k in conditions:
        any_missing |= Q(**{f"missing_{k}": True})
    return qs.filter(any_missing).select_related("village").order_by("village_id", "file_number")
