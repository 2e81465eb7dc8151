"""The bodies that do each job (issue 19.4), each through its own pages and API: the organisation
department spot-checks a first secretary and finds them absent (a finding with its rectification item,
a line in the bulletin); the supervision group publishes the bulletin and proposes a case it may not
decide; the discipline commission decides it; an inspector decides nothing. The old all-in-one groups'
members move to the bodies' roles (migration 0005)."""

import datetime as dt
import importlib
import io

import pytest
from django.apps import apps as django_apps
from django.contrib.auth.models import Group
from django.utils import timezone
from openpyxl import load_workbook

from accountability.models import AccountabilityCase, Bulletin, CaseStatus
from accountability.services import bulletin_generate
from core.models import Region, Role, UnitKind, User
from inspections.models import Finding, FindingSource, FindingStatus, ItemStatus, TeamCheck
from tests.conftest import make_user
from tests.factories.accountability import CaseFactory
from tests.factories.assistance import VillageTeamFactory
from tests.factories.core import OfficerFactory, UnitFactory, UserFactory
from tests.factories.inspections import inspection_group, inspector_user

pytestmark = pytest.mark.django_db
CITY, XIUWU, BOAI = "410800000000", "410821000000", "410822000000"


@pytest.fixture
def inspector(regions):
    """A member of a city 专职督查巡查组."""
    return inspector_user(inspection_group("一"), username="inspector_city")


@pytest.fixture
def team(xiuwu_village):
    bureau = UnitFactory(region_id=XIUWU, kind=UnitKind.DISPATCHING, name="修武县财政局")
    return VillageTeamFactory(
        name="财政局驻村工作队", dispatching_unit=bureau,
        first_secretary=OfficerFactory(unit=bureau, name="第一书记张三", position="驻村第一书记"),
        villages=[xiuwu_village],
    )  # fmt: skip


def _spot_check(client, team, *, present="no", day=None):
    return client.post("/inspections/team-checks/new/", {
        "team": team.pk, "checked_on": (day or timezone.localdate()).isoformat(), "secretary_present": present,
        "members_present": 1, "records_state": "incomplete", "note": "驻村日志缺近两周记录",
    })  # fmt: skip


def test_the_organisation_department_finds_a_first_secretary_absent_and_the_bulletin_lists_it(
    client, org_department, team, xiuwu_village
):
    client.force_login(org_department)
    assert "/inspections/team-checks/new/" in client.get("/inspections/team-checks/").content.decode()
    form = client.get("/inspections/team-checks/new/")
    assert form.status_code == 200
    assert "财政局驻村工作队" in form.content.decode()
    response = _spot_check(client, team)
    check = TeamCheck.objects.get(team=team)
    assert (check.checked_by, check.secretary_present, check.plan) == (org_department, False, None)
    # The absence is a confirmed finding, the first secretary responsible, with its ledger item for the
    # dispatching unit; the page goes to the finding.
    finding = Finding.objects.get(team_check=check)
    assert response.status_code == 302
    assert response["Location"] == f"/inspections/findings/{finding.pk}/"
    assert (finding.source, finding.status, finding.region_id) == (
        FindingSource.SPOT_CHECK, FindingStatus.CONFIRMED, xiuwu_village.code,
    )  # fmt: skip
    assert list(finding.responsible_officers.values_list("name", flat=True)) == ["第一书记张三"]
    item = finding.rectification_items.get()
    assert (item.responsible_unit, item.status) == (team.dispatching_unit, ItemStatus.OPEN)
    assert item.deadline == timezone.localdate() + dt.timedelta(days=30)
    assert "第一书记张三" in client.get(f"/inspections/findings/{finding.pk}/").content.decode()
    # The month's bulletin (published on the 1st of the next) has the line.
    month = timezone.localdate().replace(day=1)
    bulletin, _created = bulletin_generate(region=Region.objects.get(code=CITY), month=month)
    rows = bulletin.content["absences"]["rows"]
    assert [(r["secretary"], r["village"], r["item_id"]) for r in rows] == [
        ("第一书记张三", xiuwu_village.name, item.pk)
    ]
    page = client.get(f"/accountability/bulletins/{bulletin.pk}/").content.decode()
    assert 'id="absences"' in page
    assert "第一书记张三" in page.split('id="absences"')[1]
    workbook = load_workbook(io.BytesIO(client.get(f"/accountability/bulletins/{bulletin.pk}/xlsx/").content))
    sheet = next(ws for ws in workbook.worksheets if ws.title in ("不在岗", "Absences"))
    assert any(row[4] == "第一书记张三" for row in sheet.iter_rows(values_only=True))
    # A present first secretary the next day is no finding.
    _spot_check(client, team, present="yes", day=timezone.localdate() - dt.timedelta(days=1))
    assert Finding.objects.filter(source=FindingSource.SPOT_CHECK).count() == 1


def test_a_county_organisation_department_checks_only_its_own_county(client, team):
    boai_org = make_user(Role.ORGANISATION_DEPARTMENT, BOAI, username="boai_zuzhibu")
    client.force_login(boai_org)
    assert "财政局驻村工作队" not in client.get("/inspections/team-checks/new/").content.decode()
    response = _spot_check(client, team)
    assert response.status_code == 400
    assert not TeamCheck.objects.exists()


def test_other_roles_may_not_spot_check(client, api_as, team, leader, discipline_officer, supervisor):
    for user in (leader, discipline_officer, supervisor):
        client.force_login(user)
        assert client.get("/inspections/team-checks/new/").status_code == 403
        assert _spot_check(client, team).status_code == 403
        body = {"team": team.pk, "checked_on": timezone.localdate().isoformat(), "secretary_present": False,
                "records_state": "complete"}  # fmt: skip
        assert api_as(user).post("/api/v1/inspections/team-checks/", body, format="json").status_code == 403
    assert not TeamCheck.objects.exists()


def test_the_supervision_group_publishes_the_bulletin_and_proposes_a_case_the_commission_decides(
    client, api_as, supervisor, discipline_officer, xiuwu_officer
):
    city = Region.objects.get(code=CITY)
    v1, _created = bulletin_generate(region=city, month=dt.date(2017, 5, 1))
    client.force_login(supervisor)
    assert "/regenerate/" in client.get(f"/accountability/bulletins/{v1.pk}/").content.decode()
    response = client.post(
        f"/accountability/bulletins/{v1.pk}/regenerate/", {"reason": "补录本月暗访发现的问题"}
    )
    v2 = Bulletin.objects.get(month=dt.date(2017, 5, 1), version=2)
    assert response.status_code == 302
    assert v2.generated_by == supervisor
    # 一月一问责: the group proposes; it may not decide.
    api = api_as(supervisor)
    created = api.post("/api/v1/accountability/cases/", {
        "case_type": "admonition_talk", "subject_officer": xiuwu_officer.pk, "grounds": "本月暗访发现帮扶不实（督导组提出）",
    }, format="json")  # fmt: skip
    assert created.status_code == 201, created.content
    case = AccountabilityCase.objects.get(pk=created.json()["id"])
    assert case.status == CaseStatus.PROPOSED
    assert (
        api.post(f"/api/v1/accountability/cases/{case.pk}/confirm/", {"decision": "约谈"}).status_code == 403
    )
    client.force_login(supervisor)
    assert client.post(f"/accountability/cases/{case.pk}/confirm/", {"decision": "约谈"}).status_code == 403
    case.refresh_from_db()
    assert case.status == CaseStatus.PROPOSED
    # The page proposes as the API does.
    assert client.get("/accountability/").content.decode().count("/accountability/cases/propose/") == 1
    response = client.post("/accountability/cases/propose/", {
        "case_type": "criticism", "officer": xiuwu_officer.pk, "grounds": "暗访村未落实帮扶措施（督导组提出）",
    })  # fmt: skip
    by_page = AccountabilityCase.objects.get(grounds="暗访村未落实帮扶措施（督导组提出）")
    assert response["Location"] == f"/accountability/cases/{by_page.pk}/"
    assert by_page.status == CaseStatus.PROPOSED
    # 纪委 decides it and follows it up.
    commission = api_as(discipline_officer)
    assert commission.post(f"/api/v1/accountability/cases/{case.pk}/confirm/",
                           {"decision": "对其进行约谈"}, format="json").status_code == 200  # fmt: skip
    assert (
        commission.post(
            f"/api/v1/accountability/cases/{case.pk}/close/", {"note": "已约谈"}, format="json"
        ).status_code
        == 200
    )
    case.refresh_from_db()
    assert (case.status, case.decided_by) == (CaseStatus.CLOSED, discipline_officer)
    # The commission does not publish bulletins.
    client.force_login(discipline_officer)
    assert client.post(f"/accountability/bulletins/{v2.pk}/regenerate/", {"reason": "x"}).status_code == 403


def test_an_inspector_and_the_organisation_department_cannot_decide_cases(
    client, api_as, inspector, org_department, xiuwu_officer
):
    case = CaseFactory(subject_officer=xiuwu_officer, grounds="待决定的问责")
    for user in (inspector, org_department):
        assert api_as(user).post(f"/api/v1/accountability/cases/{case.pk}/confirm/",
                                 {"decision": "确认"}).status_code == 403  # fmt: skip
        client.force_login(user)
        assert (
            client.post(f"/accountability/cases/{case.pk}/dismiss/", {"reason": "不予追究"}).status_code
            == 403
        )
    assert api_as(inspector).post("/api/v1/accountability/cases/", {
        "case_type": "admonition_talk", "subject_officer": xiuwu_officer.pk, "grounds": "x",
    }, format="json").status_code == 403  # fmt: skip
    case.refresh_from_db()
    assert case.status == CaseStatus.PROPOSED


def test_the_old_groups_members_move_to_the_bodies_roles(regions):
    migration = importlib.import_module("accountability.migrations.0005_split_accountability_bodies")
    old_all = Group.objects.create(name="accountability_officer")
    old_org = Group.objects.create(name="organisation_department_assessment")
    city = Region.objects.get(code=CITY)
    units = {
        "org": UnitFactory(region=city, name="焦作市组织部", department="organisation"),
        "jw": UnitFactory(region=city, name="焦作市纪委监委", department="other"),
        "dd": UnitFactory(region=city, name="市委脱贫攻坚督导组", kind=UnitKind.INSPECTION_GROUP),
    }
    users = {
        key: UserFactory(officer=OfficerFactory(unit=unit), region_id=CITY) for key, unit in units.items()
    }
    users["none"] = UserFactory(region_id=CITY)
    users["kaohe"] = UserFactory(region_id=CITY)
    for key in ("org", "jw", "dd", "none"):
        users[key].groups.add(old_all)
    users["kaohe"].groups.add(old_org)
    stamps = {key: u.authz_stamp for key, u in users.items()}
    migration.move_members(django_apps, None)
    roles = {
        key: set(User.objects.get(pk=u.pk).groups.values_list("name", flat=True)) for key, u in users.items()
    }
    assert roles == {
        "org": {Role.ORGANISATION_DEPARTMENT}, "jw": {Role.DISCIPLINE_COMMISSION}, "dd": {Role.SUPERVISION_GROUP},
        "none": {Role.ORGANISATION_DEPARTMENT, Role.DISCIPLINE_COMMISSION, Role.SUPERVISION_GROUP},
        "kaohe": {Role.ORGANISATION_DEPARTMENT},
    }  # fmt: skip
    assert not Group.objects.filter(name__in=["accountability_officer", "organisation_department_assessment"])
    assert all(User.objects.get(pk=u.pk).authz_stamp != stamps[key] for key, u in users.items())
    moved = User.objects.get(pk=users["jw"].pk)
    assert moved.has_perm("accountability.decide_accountabilitycase")
    assert not moved.has_perm("accountability.regenerate_bulletin")
