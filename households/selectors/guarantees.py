"""两不愁三保障 from the facts: per guarantee, met / unmet (why) / to be confirmed, on a given day.

`guarantee_status_many(households, on=day)` is the one reading, batched (a fixed number of
queries for any number of households): lists of many rows ask it once per page; the household page,
the API, exit verification and removal (销号) on the day they are recorded ask it for one household
(`guarantee_status`, `guarantees_met`). `guarantees_to_confirm(actor=…)` lists the county's households whose evidence is missing.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.apps import apps
from django.conf import settings
from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery
from django.db.models.lookups import IsNull
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


@dataclass
class _Facts:
    """Every fact the five guarantees of a set of households rest on, read in a fixed number of queries."""

    members: dict[int, list[Member]]
    statements: dict[int, LivelihoodStatement]
    exemptions: dict[int, SchoolingExemption]  # member id → latest exemption up to the day
    insured: dict[int, bool]  # member id → insured in the day's year
    covers: dict[int, bool]  # household id → serious-illness cover in the day's year
    appraisals: dict[int, HousingAppraisal]  # household id → latest appraisal up to the day
    housing_done: dict[int, list]  # household id → housing measures done since its unsafe appraisal


def _latest_per_household(qs):
    return {
        row.household_id: row for row in qs.order_by("household_id", "-date", "-id").distinct("household_id")
    }


def _read_facts(ids: list[int], on: dt.date) -> _Facts:
    members: dict[int, list[Member]] = defaultdict(list)
    for m in Member.objects.filter(household_id__in=ids, is_active=True).order_by("household_id", "id"):
        members[m.household_id].append(m)
    exemptions = {
        e.member_id: e
        for e in SchoolingExemption.objects.filter(
            member__household_id__in=ids, member__is_active=True, date__lte=on
        ).order_by("date", "id")
    }
    insured = dict(
        MedicalInsurance.objects.filter(
            member__household_id__in=ids, member__is_active=True, year=on.year
        ).values_list("member_id", "insured")
    )
    covers = dict(
        IllnessCover.objects.filter(household_id__in=ids, year=on.year).values_list("household_id", "covered")
    )
    statements = _latest_per_household(
        LivelihoodStatement.objects.filter(household_id__in=ids, date__lte=on).select_related("officer")
    )
    appraisals = _latest_per_household(HousingAppraisal.objects.filter(household_id__in=ids, date__lte=on))
    unsafe = {hid: a.date for hid, a in appraisals.items() if a.grade in UNSAFE_GRADES}
    housing_done: dict[int, list] = defaultdict(list)
    if unsafe:
        for measure in housing_measures_done_many(unsafe, on=on):
            housing_done[measure.plan.household_id].append(measure)
    return _Facts(members, statements, exemptions, insured, covers, appraisals, housing_done)


def _statement(statement: LivelihoodStatement | None, on: dt.date) -> tuple[GuaranteeState, GuaranteeState]:
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


def _education(members: list[Member], exempt: dict[int, SchoolingExemption], on: dt.date) -> GuaranteeState:
    low, high = compulsory_school_ages()
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


def _medical(
    members: list[Member], insured: dict[int, bool], cover: bool | None, on: dt.date
) -> GuaranteeState:
    year = on.year
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
    if cover is None:
        unknown.append(_("No serious-illness cover recorded for %(year)d.") % {"year": year})
    elif not cover:
        unmet.append(_("No serious-illness cover in %(year)d.") % {"year": year})
    else:
        evidence.append(_("Serious-illness cover in %(year)d.") % {"year": year})
    state = UNMET if unmet else TO_CONFIRM if unknown else MET
    return GuaranteeState("medical", state, unmet + unknown, evidence)


def housing_measures_done_many(since: dict[int, dt.date], *, on: dt.date) -> list:
    """Housing measures (危房改造, 易地搬迁) of the households' plans done between each household's
    day in `since` and `on`, in one query: read from assistance through its model, never written
    here (households sits left of it)."""
    Measure = apps.get_model("assistance", "Measure")
    rows = (
        Measure.objects.filter(
            plan__household_id__in=list(since),
            kind__in=HOUSING_MEASURE_KINDS,
            status="done",
            actual_end__gte=min(since.values()),
            actual_end__lte=on,
        )
        .select_related("plan")
        .order_by("actual_end", "id")
    )
    return [m for m in rows if m.actual_end >= since[m.plan.household_id]]


def housing_measures_done(*, household: Household, since: dt.date, on: dt.date) -> list:
    """The household's housing measures done between the two days."""
    return housing_measures_done_many({household.pk: since}, on=on)


def _housing(appraisal: HousingAppraisal | None, done: list) -> GuaranteeState:
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


def guarantee_status_many(households, *, on: dt.date | None = None) -> dict[int, dict[str, GuaranteeState]]:
    """{household id: each of its five guarantees as its facts say on the day `on` (today)} for any
    number of households (instances or ids) in a fixed number of queries (at most seven): what every
    list of many rows asks (a page of 应退未退, the API's pages)."""
    on = on or timezone.localdate()
    ids = sorted({getattr(h, "pk", h) for h in households})
    if not ids:
        return {}
    facts = _read_facts(ids, on)
    out = {}
    for hid in ids:
        members = facts.members.get(hid, [])
        food, clothing = _statement(facts.statements.get(hid), on)
        out[hid] = {
            "food": food,
            "clothing": clothing,
            "education": _education(members, facts.exemptions, on),
            "medical": _medical(members, facts.insured, facts.covers.get(hid), on),
            "housing": _housing(facts.appraisals.get(hid), facts.housing_done.get(hid, [])),
        }
    return out


def guarantee_status(household: Household, *, on: dt.date | None = None) -> dict[str, GuaranteeState]:
    """Each of the five guarantees of one household as its facts say on the day `on` (today)."""
    return guarantee_status_many([household], on=on)[household.pk]


def guarantees_met_many(households, *, on: dt.date | None = None) -> dict[int, bool]:
    """{household id: all five met by the facts on the day} (batched, see guarantee_status_many)."""
    return {
        hid: all(s.met for s in states.values())
        for hid, states in guarantee_status_many(households, on=on).items()
    }


def guarantees_met(household: Household, *, on: dt.date | None = None) -> bool:
    """两不愁三保障 as the facts say on the day (today): the five snapshot fields of Household are only
    the last one the services wrote, never the answer."""
    return guarantees_met_many([household], on=on)[household.pk]


def unmet_guarantees(household: Household, *, on: dt.date | None = None) -> list[GuaranteeState]:
    """The guarantees not met (unmet or still to be confirmed) on the day."""
    return [s for s in guarantee_status(household, on=on).values() if not s.met]


def to_confirm_conditions(year: int, on: dt.date) -> dict[str, Q]:
    """Per guarantee, the condition "its evidence is missing" as SQL (for the county's list)."""
    recent = on - dt.timedelta(days=STATEMENT_VALID_DAYS)
    statement = LivelihoodStatement.objects.filter(household=OuterRef("pk"), date__gte=recent, date__lte=on)
    # NOT EXISTS per member (the (member, year) index), never NOT IN over the year's whole insurance
    # table: at a province's scale that was a hash of millions of rows on every request.
    uninsured = Member.objects.filter(household=OuterRef("pk"), is_active=True).filter(
        ~Exists(MedicalInsurance.objects.filter(member=OuterRef("pk"), year=year))
    )
    return {
        "statement": ~Exists(statement),
        # "Is there an uninsured member" as a scalar subquery (first such member IS NOT NULL), not
        # EXISTS: under the OR of the four conditions PostgreSQL may run an EXISTS as a hashed
        # subplan — every uninsured member of the province, an anti-join of millions of rows (4.5 s
        # at 1M households, twice per page) — where a scalar subquery is looked up per household.
        "insurance": IsNull(Subquery(uninsured.values("pk")[:1]), False),
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
