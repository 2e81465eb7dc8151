"""三个一律: central/provincial media exposure and province-level notices open a case, always."""

import datetime as dt

import pytest

from accountability.models import AccountabilityCase, CaseRule, CaseStatus
from accountability.services import FindingFacts, case_dismiss, finding_filed
from core.exceptions import TransitionNotAllowed

pytestmark = pytest.mark.django_db

THREE_ALWAYS = ["media_central", "media_provincial", "province_office_notice", "province_inspection_notice"]
OTHERS = ["city_covert_visit", "media_local", "audit", "public_complaint", "self_check"]


def facts(source, org, pk=1001, **kw):
    return FindingFacts(pk=pk, source=source, found_on=dt.date(2017, 5, 12), region_code=org["county"].code,
                        responsible_officer_ids=(org["vice"].pk,), summary="危房改造不到位", **kw)  # fmt: skip


@pytest.mark.parametrize("source", THREE_ALWAYS)
def test_each_three_always_source_opens_a_binding_case(xiuwu_org, source):
    cases = finding_filed(finding=facts(source, xiuwu_org))
    assert len(cases) == 1
    case = cases[0]
    assert case.rule == CaseRule.THREE_ALWAYS
    assert case.subject_officer == xiuwu_org["vice"]
    assert case.status == CaseStatus.CONFIRMED
    assert case.mandatory
    assert case.finding_id == 1001
    assert case.finding_source == source
    assert case.opened_on == dt.date(2017, 5, 12)


@pytest.mark.parametrize("source", OTHERS)
def test_other_sources_open_no_three_always_case(xiuwu_org, source):
    assert finding_filed(finding=facts(source, xiuwu_org)) == []
    assert not AccountabilityCase.objects.filter(rule=CaseRule.THREE_ALWAYS).exists()


def test_filing_twice_opens_one_case(xiuwu_org):
    first = finding_filed(finding=facts("media_central", xiuwu_org))
    again = finding_filed(finding=facts("media_central", xiuwu_org))
    assert [c.pk for c in first] == [c.pk for c in again]
    assert AccountabilityCase.objects.count() == 1


def test_unnamed_finding_falls_on_the_county_first_responsible(xiuwu_org):
    f = FindingFacts(pk=7, source="province_inspection_notice", found_on=dt.date(2017, 5, 12),
                     region_code=xiuwu_org["county"].code)  # fmt: skip
    subjects = {c.subject_officer for c in finding_filed(finding=f)}
    assert subjects == {xiuwu_org["secretary"], xiuwu_org["magistrate"]}


def test_a_binding_case_cannot_be_dismissed(xiuwu_org, decider):
    (case,) = finding_filed(finding=facts("media_provincial", xiuwu_org))
    with pytest.raises(TransitionNotAllowed):
        case_dismiss(case=case, reason="不予追究", actor=decider)
    case.refresh_from_db()
    assert case.status == CaseStatus.CONFIRMED
