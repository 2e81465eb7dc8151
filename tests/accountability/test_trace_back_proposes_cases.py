"""责任倒查: a grassroots finding proposes cases for the contact leader and responsible unit of its date."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied

from accountability.models import CaseRule, CaseStatus, CaseStatusChange
from accountability.services import FindingFacts, case_confirm, case_dismiss, finding_filed
from core.exceptions import DomainError

pytestmark = pytest.mark.django_db


def village_finding(org, day, pk=2001, source="city_covert_visit"):
    return FindingFacts(
        pk=pk, source=source, found_on=day, region_code=org["village"].code, summary="档卡不一致"
    )


def test_trace_back_targets_the_contact_leader_on_the_finding_date(xiuwu_org):
    april = finding_filed(finding=village_finding(xiuwu_org, dt.date(2017, 4, 20), pk=1))
    may = finding_filed(finding=village_finding(xiuwu_org, dt.date(2017, 5, 20), pk=2))
    assert {c.subject_officer for c in april if c.subject_officer} == {xiuwu_org["old_leader"]}
    assert {c.subject_officer for c in may if c.subject_officer} == {xiuwu_org["new_leader"]}
    for case in [*april, *may]:
        assert case.rule == CaseRule.TRACE_BACK
        assert case.status == CaseStatus.PROPOSED
        assert not case.mandatory


def test_trace_back_proposes_a_case_for_the_responsible_unit(xiuwu_org):
    cases = finding_filed(finding=village_finding(xiuwu_org, dt.date(2017, 5, 20)))
    assert {c.subject_unit for c in cases if c.subject_unit} == {xiuwu_org["township_unit"]}
    assert len(cases) == 2


def test_a_county_level_finding_is_not_traced_back(xiuwu_org):
    f = FindingFacts(pk=3, source="audit", found_on=dt.date(2017, 5, 2), region_code=xiuwu_org["county"].code)
    assert finding_filed(finding=f) == []


def test_three_always_grassroots_finding_also_traces_back(xiuwu_org):
    cases = finding_filed(finding=village_finding(xiuwu_org, dt.date(2017, 5, 20), source="media_central"))
    assert {c.rule for c in cases} == {CaseRule.THREE_ALWAYS, CaseRule.TRACE_BACK}


def test_decider_confirms_or_dismisses_with_a_reason(xiuwu_org, decider):
    leader_case, unit_case = sorted(finding_filed(finding=village_finding(xiuwu_org, dt.date(2017, 5, 20))),
                                    key=lambda c: c.subject_unit_id or 0)  # fmt: skip
    with pytest.raises(DomainError):
        case_dismiss(case=unit_case, reason="  ", actor=decider)
    case_dismiss(case=unit_case, reason="该村问题系农户隐瞒收入，乡镇已尽责", actor=decider)
    confirmed = case_confirm(case=leader_case, decision="对联系领导进行约谈", actor=decider)
    unit_case.refresh_from_db()
    assert unit_case.status == CaseStatus.DISMISSED
    assert "隐瞒收入" in unit_case.dismissal_reason
    assert confirmed.status == CaseStatus.CONFIRMED
    assert confirmed.decided_by == decider
    moves = list(CaseStatusChange.objects.filter(case=leader_case).values_list("from_status", "to_status"))
    assert moves == [("", "proposed"), ("proposed", "confirmed")]


def test_a_city_leader_cannot_decide(xiuwu_org, leader):
    case = finding_filed(finding=village_finding(xiuwu_org, dt.date(2017, 5, 20)))[0]
    with pytest.raises(PermissionDenied):
        case_confirm(case=case, decision="确认", actor=leader)
