"""The rules the source document fixes, applied automatically. Each is idempotent.

- 三个一律: a finding exposed by central or provincial media, notified by a province-level poverty
  office, or notified by a province-level inspection group opens a case — always (binding, confirmed).
- 责任倒查: a grassroots finding (in a village or township) proposes cases for the contact leader
  (分包联系领导) and the responsible unit on the finding's date; a decider confirms or dismisses them.
- Annual grade 一般 → 约谈; 差 → no promotion for two years (binding). The 考评办法 covers 县乡党政正职:
  a unit's grade reaches its party and government heads (第一责任人), not their deputies.
- 整改评估验收后仍达不到要求 → the county's party and government heads and deputies in charge may not
  be promoted this year (binding).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.models import Officer, Unit, UnitKind
from core.pii import mask_id_numbers

from ..models import (
    AccountabilityCase,
    AnnualGrade,
    CaseRule,
    CaseType,
    Grade,
    RectificationReview,
    Responsibility,
    ResponsibilityKind,
)
from ..periods import add_years
from ..regions import ancestor_codes, county_code
from ..selectors.responsibilities import responsible_on
from .cases import case_open

# Finding sources that fall under 三个一律 (inspections.models.FindingSource codes). Every other
# source (city covert visit, local media, audit, public complaint, self-check) opens no such case.
THREE_ALWAYS_SOURCES: dict[str, str] = {
    "media_central": _("exposed by central media"),
    "media_provincial": _("exposed by provincial media"),
    "province_office_notice": _("notified by a province-level poverty alleviation office"),
    "province_inspection_notice": _("notified by a province-level inspection group"),
}


def is_three_always(source: str) -> bool:
    return source in THREE_ALWAYS_SOURCES


@dataclass(frozen=True)
class FindingFacts:
    """What the rules need from a finding: the small interface the inspections app provides."""

    pk: int
    source: str
    found_on: dt.date
    region_code: str | None  # the most specific place: village, township or county
    responsible_unit_id: int | None = None
    responsible_officer_ids: tuple[int, ...] = field(default_factory=tuple)
    summary: str = ""

    @property
    def is_grassroots(self) -> bool:
        """Found in a village or a township (乡村), not at county or city level."""
        return bool(self.region_code) and self.region_code[6:9] != "000"


def _local_date(value) -> dt.date:
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return value


def finding_date(finding) -> dt.date:
    """The finding's date: the visit's date for a visit report, else when it was confirmed or filed."""
    report = getattr(finding, "report", None)
    if report is not None and getattr(report, "visit_date", None):
        return report.visit_date
    for name in ("found_on", "confirmed_at", "created_at"):
        value = getattr(finding, name, None)
        if value:
            return _local_date(value)
    raise ValueError("finding has no date")


def facts_from_finding(finding) -> FindingFacts:
    """Read an `inspections.Finding` (or anything shaped like one) into FindingFacts."""
    if isinstance(finding, FindingFacts):
        return finding
    officers = getattr(finding, "responsible_officers", None)
    officer_ids = tuple(officers.values_list("pk", flat=True)) if officers is not None and finding.pk else ()
    return FindingFacts(
        pk=finding.pk, source=str(finding.source), found_on=finding_date(finding),
        region_code=getattr(finding, "region_id", None),
        responsible_unit_id=getattr(finding, "responsible_unit_id", None),
        responsible_officer_ids=officer_ids, summary=mask_id_numbers(str(getattr(finding, "description", "")))[:200],
    )  # fmt: skip


@transaction.atomic
def finding_filed(*, finding, actor=None) -> list[AccountabilityCase]:
    """Apply 三个一律 and 责任倒查 to a filed finding. Calling it again opens nothing new.

    The inspections app calls this once a finding is filed (inside its transaction):
    `accountability.services.finding_filed(finding=finding, actor=request.user)`.
    """
    facts = facts_from_finding(finding)
    cases = []
    if is_three_always(facts.source):
        cases += _three_always(facts, actor=actor)
    if facts.is_grassroots:
        cases += _trace_back(facts, actor=actor)
    return cases


def _trigger(facts: FindingFacts) -> dict:
    return {"finding_id": facts.pk, "finding_source": facts.source, "finding_date": facts.found_on}


def _three_always(facts: FindingFacts, *, actor) -> list[AccountabilityCase]:
    officers = list(Officer.objects.filter(pk__in=facts.responsible_officer_ids))
    units = list(Unit.objects.filter(pk=facts.responsible_unit_id)) if facts.responsible_unit_id else []
    if not officers and not units and facts.region_code:
        # Nobody named on the finding: the county's first responsible answer for it (主体责任).
        county = county_code(facts.region_code)
        officers = [r.officer for r in responsible_on(region_code=county, on=facts.found_on,
                                                      kinds=[ResponsibilityKind.FIRST]) if r.region_id == county]  # fmt: skip
        if not officers:
            units = list(Unit.objects.filter(region_id=county, kind=UnitKind.PARTY_COMMITTEE))
    grounds = _("Three always: finding #%(id)s %(how)s on %(day)s. %(summary)s") % {
        "id": facts.pk, "how": THREE_ALWAYS_SOURCES[facts.source], "day": facts.found_on, "summary": facts.summary,
    }  # fmt: skip
    cases = []
    for subject in [*officers, *units]:
        kind = "officer" if isinstance(subject, Officer) else "unit"
        case, _created = case_open(
            case_type=CaseType.CRITICISM, grounds=grounds, rule=CaseRule.THREE_ALWAYS, mandatory=True,
            confirmed=True, opened_on=facts.found_on, actor=actor,
            dedupe_key=f"three_always:finding:{facts.pk}:{kind}:{subject.pk}", **{kind: subject}, **_trigger(facts),
        )  # fmt: skip
        cases.append(case)
    return cases


def trace_back_targets(*, region_code: str, on: dt.date, responsible_unit_id: int | None = None):
    """责任倒查: the contact leader nearest the village on that date, and the responsible units.

    Contact leaders: those of the village if it has any, else of its township, else of its county.
    Units: the finding's responsible unit, and the units holding the township-and-village or
    resident-assistance responsibility for the village (or its township) on that date.
    """
    chain = [c for c in ancestor_codes(region_code) if c[6:9] != "000" or c[4:6] != "00"]  # 村, 乡, 县
    active = list(responsible_on(region_code=region_code, on=on, kinds=[
        ResponsibilityKind.CONTACT_LEADER, ResponsibilityKind.TOWNSHIP_VILLAGE, ResponsibilityKind.RESIDENT_ASSISTANCE,
    ]))  # fmt: skip
    leaders: list[Responsibility] = []
    for code in chain:
        leaders = [r for r in active if r.kind == ResponsibilityKind.CONTACT_LEADER and r.region_id == code]
        if leaders:
            break
    units: dict[int, Unit] = {}
    if responsible_unit_id:
        unit = Unit.objects.filter(pk=responsible_unit_id).first()
        if unit:
            units[unit.pk] = unit
    for r in active:
        if r.kind != ResponsibilityKind.CONTACT_LEADER and r.unit_id and r.region_id[6:9] != "000":
            units.setdefault(r.unit_id, r.unit)
    return leaders, list(units.values())


def _trace_back(facts: FindingFacts, *, actor) -> list[AccountabilityCase]:
    leaders, units = trace_back_targets(
        region_code=facts.region_code, on=facts.found_on, responsible_unit_id=facts.responsible_unit_id
    )
    cases = []
    for resp in leaders:
        grounds = _("Trace-back: finding #%(id)s of %(day)s, where %(name)s is the contact leader. %(summary)s") % {
            "id": facts.pk, "day": facts.found_on, "name": resp.officer.name, "summary": facts.summary,
        }  # fmt: skip
        case, _created = case_open(
            case_type=CaseType.ADMONITION_TALK, grounds=grounds, officer=resp.officer, rule=CaseRule.TRACE_BACK,
            opened_on=facts.found_on, actor=actor,
            dedupe_key=f"trace_back:finding:{facts.pk}:officer:{resp.officer_id}", **_trigger(facts),
        )  # fmt: skip
        cases.append(case)
    for unit in units:
        grounds = _("Trace-back: finding #%(id)s of %(day)s falls under the responsibility of %(name)s. %(summary)s") % {
            "id": facts.pk, "day": facts.found_on, "name": unit.name, "summary": facts.summary,
        }  # fmt: skip
        case, _created = case_open(
            case_type=CaseType.ADMONITION_TALK, grounds=grounds, unit=unit, rule=CaseRule.TRACE_BACK,
            opened_on=facts.found_on, actor=actor,
            dedupe_key=f"trace_back:finding:{facts.pk}:unit:{unit.pk}", **_trigger(facts),
        )  # fmt: skip
        cases.append(case)
    return cases


def heads_and_deputies(*, region_code: str, on: dt.date) -> list[Officer]:
    """党政正职 and 分管副职 of a region on a date: its first and direct responsible officers."""
    resps = responsible_on(
        region_code=region_code, on=on, kinds=[ResponsibilityKind.FIRST, ResponsibilityKind.DIRECT]
    )
    seen: dict[int, Officer] = {}
    for r in resps:
        if r.region_id == region_code:
            seen.setdefault(r.officer_id, r.officer)
    return list(seen.values())


def heads(*, region_code: str, on: dt.date) -> list[Officer]:
    """党政正职 of a region on a date: its first responsible officers (党委书记, 政府主要负责人)."""
    seen: dict[int, Officer] = {}
    for r in responsible_on(region_code=region_code, on=on, kinds=[ResponsibilityKind.FIRST]):
        if r.region_id == region_code:
            seen.setdefault(r.officer_id, r.officer)
    return list(seen.values())


def grade_consequences(*, grade: AnnualGrade, actor=None) -> list[AccountabilityCase]:
    """一般 → admonition talk; 差 → no promotion for two years. Idempotent per grade and subject."""
    if grade.grade not in (Grade.AVERAGE, Grade.POOR):
        return []
    if grade.officer_id:
        officers = [grade.officer]
    elif grade.unit.kind in (UnitKind.PARTY_COMMITTEE, UnitKind.GOVERNMENT, UnitKind.TOWNSHIP):
        officers = heads(region_code=grade.unit.region_id, on=grade.decided_on)
    else:
        officers = []
    trigger = {"annual_grade": grade}
    cases = []
    if grade.grade == Grade.AVERAGE:
        grounds = _("Annual grade %(year)s: average. The document requires an admonition talk.") % {
            "year": grade.year
        }
        subjects = officers or [grade.unit]
        for subject in subjects:
            kind = "officer" if isinstance(subject, Officer) else "unit"
            case, _created = case_open(
                case_type=CaseType.ADMONITION_TALK, grounds=grounds, rule=CaseRule.GRADE_AVERAGE, mandatory=True,
                confirmed=True, opened_on=grade.decided_on, actor=actor,
                dedupe_key=f"grade_average:grade:{grade.pk}:{kind}:{subject.pk}", **{kind: subject}, **trigger,
            )  # fmt: skip
            cases.append(case)
        return cases
    until = add_years(grade.decided_on, 2) - dt.timedelta(days=1)
    grounds = _("Annual grade %(year)s: poor%(veto)s. No promotion for two years, until %(until)s.") % {
        "year": grade.year, "until": until, "veto": _(" (one-vote veto)") if grade.vetoed else "",
    }  # fmt: skip
    for officer in officers:
        case, _created = case_open(
            case_type=CaseType.PROMOTION_BAN, grounds=grounds, officer=officer, rule=CaseRule.GRADE_POOR,
            mandatory=True, confirmed=True, opened_on=grade.decided_on, ban_until=until, actor=actor,
            dedupe_key=f"grade_poor:grade:{grade.pk}:officer:{officer.pk}", **trigger,
        )  # fmt: skip
        cases.append(case)
    if not officers:
        # A department graded poor: its 通报批评 stands for the unit; bans need named officers.
        case, _created = case_open(
            case_type=CaseType.CRITICISM, grounds=grounds, unit=grade.unit, rule=CaseRule.GRADE_POOR, mandatory=True,
            confirmed=True, opened_on=grade.decided_on, actor=actor,
            dedupe_key=f"grade_poor:grade:{grade.pk}:unit:{grade.unit_id}", **trigger,
        )  # fmt: skip
        cases.append(case)
    return cases


def review_consequences(*, review: RectificationReview, actor=None) -> list[AccountabilityCase]:
    """Still failing after the rectification review → heads and deputies: no promotion this year."""
    if review.passed:
        return []
    until = dt.date(review.year, 12, 31)
    grounds = _("Still failing after the rectification review of %(day)s: no promotion in %(year)s.") % {
        "day": review.reviewed_on, "year": review.year,
    }  # fmt: skip
    cases = []
    for officer in heads_and_deputies(region_code=review.region_id, on=review.reviewed_on):
        case, _created = case_open(
            case_type=CaseType.PROMOTION_BAN, grounds=grounds, officer=officer, rule=CaseRule.REVIEW_FAILED,
            mandatory=True, confirmed=True, opened_on=review.reviewed_on, ban_until=until, review=review, actor=actor,
            dedupe_key=f"review_failed:review:{review.pk}:officer:{officer.pk}",
        )  # fmt: skip
        cases.append(case)
    return cases
