"""A finding confirmed in the inspections app opens its cases on commit, once, with its real fields."""

import datetime as dt
import uuid
from zoneinfo import ZoneInfo

import pytest

from accountability.models import AccountabilityCase, CaseRule
from inspections.models import Finding, VisitReport
from tests.factories.core import UserFactory

pytestmark = pytest.mark.django_db
SH = ZoneInfo("Asia/Shanghai")


def test_province_notice_finding_opens_a_case_on_commit(xiuwu_org, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        finding = Finding.objects.create(
            source="province_office_notice", category="identification", severity="serious", description="错评漏评",
            region=xiuwu_org["county"], status="confirmed", confirmed_at=dt.datetime(2017, 5, 9, 10, tzinfo=SH),
        )  # fmt: skip
        finding.responsible_officers.set([xiuwu_org["vice"]])
    case = AccountabilityCase.objects.get(finding_id=finding.pk)
    assert case.rule == CaseRule.THREE_ALWAYS
    assert case.subject_officer == xiuwu_org["vice"]
    assert case.finding_date == dt.date(2017, 5, 9)
    with django_capture_on_commit_callbacks(execute=True):
        finding.description = "错评漏评（补充）"
        finding.save()
    assert AccountabilityCase.objects.filter(finding_id=finding.pk).count() == 1


def test_covert_visit_finding_traces_back_by_visit_date(xiuwu_org, django_capture_on_commit_callbacks):
    from inspections.models import InspectionGroup

    group = InspectionGroup.objects.create(
        unit=xiuwu_org["committee"], name="第一组", region=xiuwu_org["county"]
    )
    report = VisitReport.objects.create(client_uuid=uuid.uuid4(), group=group, county=xiuwu_org["county"], village=xiuwu_org["village"],
                                        visit_date=dt.date(2017, 4, 28), place="某村", author=UserFactory())  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        Finding.objects.create(source="city_covert_visit", report=report, category="files", severity="minor",
                               description="档卡不一致", region=xiuwu_org["village"], status="confirmed",
                               confirmed_at=dt.datetime(2017, 5, 3, 9, tzinfo=SH))  # fmt: skip
    leaders = {c.subject_officer for c in AccountabilityCase.objects.filter(rule=CaseRule.TRACE_BACK)
               if c.subject_officer}  # fmt: skip
    assert leaders == {xiuwu_org["old_leader"]}  # the contact leader on the visit date, not on confirmation


def test_pending_findings_open_nothing(xiuwu_org, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        Finding.objects.create(source="media_central", category="files", severity="minor", description="待核实",
                               region=xiuwu_org["county"])  # fmt: skip
    assert not AccountabilityCase.objects.exists()
