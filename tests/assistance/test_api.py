"""/api/v1/assistance/: plans, measures, teams — scoped, keyset-paginated, updated_after, errors naming the field."""

import datetime as dt

import pytest
from django.utils import timezone

from assistance.models import Measure, MeasureStatus
from tests.factories.assistance import MeasureFactory, PlanFactory, VillageTeamFactory
from tests.factories.core import OfficerFactory, UnitFactory
from tests.factories.households import HouseholdFactory

pytestmark = pytest.mark.django_db

SOON = (timezone.localdate() + dt.timedelta(days=20)).isoformat()


def test_create_plan_add_measures_and_see_coverage(api_as, assist, household):
    client = api_as(assist)
    created = client.post(
        "/api/v1/assistance/plans/", {"household": household.pk, "year": 2017}, format="json"
    )
    assert created.status_code == 201, created.json()
    plan = created.json()
    assert plan["uncovered_causes"] == ["illness", "lack_skills", "lack_funds"]

    body = {"plan": plan["id"], "kind": "industry", "title": "养牛", "causes": ["illness", "lack_skills", "lack_funds"],
            "planned_end": SOON, "funds_needed": "5000.00", "expected_income_gain": "2400.50"}  # fmt: skip
    measure = client.post("/api/v1/assistance/measures/", body, format="json")
    assert measure.status_code == 201, measure.json()
    assert measure.json()["funds_needed"] == "5000.00"
    detail = client.get(f"/api/v1/assistance/plans/{plan['id']}/").json()
    assert detail["uncovered_causes"] == []
    assert [m["id"] for m in detail["measures"]] == [measure.json()["id"]]

    moved = client.post(
        f"/api/v1/assistance/measures/{measure.json()['id']}/transition/",
        {"status": "cancelled"},
        format="json",
    )
    assert moved.status_code == 400
    assert "reason" in moved.json()["errors"]
    moved = client.post(
        f"/api/v1/assistance/measures/{measure.json()['id']}/transition/",
        {"status": "cancelled", "reason": "农户放弃"}, format="json",
    )  # fmt: skip
    assert moved.json()["status"] == "cancelled"
    flagged = client.get("/api/v1/assistance/plans/", {"flagged": "true"}).json()["results"]
    assert [p["id"] for p in flagged] == [plan["id"]]


def test_a_foreign_cause_is_refused_naming_the_field(api_as, assist, household):
    plan = PlanFactory(household=household)
    body = {
        "plan": plan.pk,
        "kind": "disaster_relief",
        "title": "x",
        "causes": ["disaster"],
        "planned_end": SOON,
    }
    response = api_as(assist).post("/api/v1/assistance/measures/", body, format="json")
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"causes"}
    assert not Measure.objects.exists()


def test_disallowed_transition_is_409(api_as, assist, household):
    measure = MeasureFactory(plan=PlanFactory(household=household))
    response = api_as(assist).post(
        f"/api/v1/assistance/measures/{measure.pk}/transition/", {"status": "done"}, format="json"
    )
    assert response.status_code == 409
    assert response.json()["code"] == "transition_not_allowed"
    assert Measure.objects.get(pk=measure.pk).status == MeasureStatus.PLANNED


def test_duplicate_plan_for_a_year_is_409(api_as, assist, household):
    PlanFactory(household=household, year=2017)
    response = api_as(assist).post(
        "/api/v1/assistance/plans/", {"household": household.pk, "year": 2017}, format="json"
    )
    assert response.status_code == 409
    assert "year" in response.json()["errors"]


def test_other_county_gets_404_on_every_endpoint(api_as, other_clerk, household, xiuwu_village):
    plan = PlanFactory(household=household)
    measure = MeasureFactory(plan=plan)
    team = VillageTeamFactory(villages=[xiuwu_village])
    client = api_as(other_clerk)
    assert client.get("/api/v1/assistance/plans/").json()["results"] == []
    assert client.get("/api/v1/assistance/measures/").json()["results"] == []
    assert client.get("/api/v1/assistance/teams/").json()["results"] == []
    for method, url, data in [
        ("get", f"/api/v1/assistance/plans/{plan.pk}/", None),
        ("patch", f"/api/v1/assistance/plans/{plan.pk}/", {"summary": "篡改"}),
        ("get", f"/api/v1/assistance/measures/{measure.pk}/", None),
        ("patch", f"/api/v1/assistance/measures/{measure.pk}/", {"title": "篡改"}),
        ("post", f"/api/v1/assistance/measures/{measure.pk}/transition/", {"status": "in_progress"}),
        ("post", "/api/v1/assistance/measures/", {"plan": plan.pk, "kind": "employment", "title": "x",
                                                  "causes": ["illness"], "planned_end": SOON}),
        ("post", "/api/v1/assistance/plans/", {"household": household.pk, "year": 2016}),
        ("get", f"/api/v1/assistance/teams/{team.pk}/", None),
        ("patch", f"/api/v1/assistance/teams/{team.pk}/", {"name": "篡改"}),
    ]:  # fmt: skip
        response = getattr(client, method)(url, data, format="json")
        assert response.status_code == 404, (method, url, response.status_code)
    upload = client.post(f"/api/v1/assistance/measures/{measure.pk}/evidence/", {}, format="multipart")
    assert upload.status_code == 404
    measure.refresh_from_db()
    assert measure.title != "篡改"
    assert measure.status == MeasureStatus.PLANNED


def test_leader_reads_everything_and_writes_nothing(api_as, leader, household, boai_household):
    PlanFactory(household=household)
    PlanFactory(household=boai_household)
    measure = MeasureFactory(plan=PlanFactory(household=household, year=2016))
    client = api_as(leader)
    assert len(client.get("/api/v1/assistance/plans/").json()["results"]) == 3
    assert (
        client.post(
            "/api/v1/assistance/plans/", {"household": household.pk, "year": 2015}, format="json"
        ).status_code
        == 403
    )
    assert (
        client.post(
            f"/api/v1/assistance/measures/{measure.pk}/transition/", {"status": "in_progress"}, format="json"
        ).status_code
        == 403
    )
    assert (
        client.patch(f"/api/v1/assistance/measures/{measure.pk}/", {"title": "x"}, format="json").status_code
        == 403
    )
    assert Measure.objects.get(pk=measure.pk).status == MeasureStatus.PLANNED


def test_updated_after_and_keyset_pages(api_as, assist, xiuwu_village):
    plans = [PlanFactory(household=HouseholdFactory(village=xiuwu_village)) for _ in range(7)]
    client = api_as(assist)
    seen, url = [], "/api/v1/assistance/plans/?page_size=3"
    while url:
        page = client.get(url).json()
        seen += [r["id"] for r in page["results"]]
        url = page["next"]
    assert sorted(seen) == sorted(p.pk for p in plans)
    cutoff = max(p.updated_at for p in plans)
    MeasureFactory(plan=plans[2])  # a measure added later touches its plan
    from assistance import services

    services.plan_update(plan=plans[2], actor=assist, data={"summary": "调整"})
    rows = client.get("/api/v1/assistance/plans/", {"updated_after": cutoff.isoformat()}).json()["results"]
    assert [r["id"] for r in rows] == [plans[2].pk]


def test_list_query_counts_are_fixed(api_as, assist, xiuwu_village, django_assert_num_queries):
    from core.models import User

    def count(url, expected_queries):
        client = api_as(User.objects.get(pk=assist.pk))
        client.get(url)  # roles and permissions are read once per change and process (core.authz)
        with django_assert_num_queries(expected_queries):
            return len(client.get(url).json()["results"])

    VillageTeamFactory(villages=[xiuwu_village])
    for _ in range(3):
        MeasureFactory(plan=PlanFactory(household=HouseholdFactory(village=xiuwu_village)))
    # the page (the token, the user and their roles are cached after the first request)
    assert count("/api/v1/assistance/plans/", 1) == 3
    assert count("/api/v1/assistance/measures/", 1) == 3
    # … plus the villages and members of the page's teams
    assert count("/api/v1/assistance/teams/", 3) == 1
    for _ in range(10):
        MeasureFactory(plan=PlanFactory(household=HouseholdFactory(village=xiuwu_village)))
    VillageTeamFactory(villages=[xiuwu_village])
    assert count("/api/v1/assistance/plans/", 1) == 13
    assert count("/api/v1/assistance/measures/", 1) == 13
    assert count("/api/v1/assistance/teams/", 3) == 2


def test_clerk_registers_a_team_and_its_first_secretary_then_sees_its_households(
    api_as, clerk, persona, xiuwu, two_xiuwu_villages
):
    from core.models import Role

    unit = UnitFactory(region=xiuwu, name="修武县农业局", kind="dispatching")
    secretary_officer = OfficerFactory(unit=unit, region=xiuwu, position="驻村第一书记")
    member = OfficerFactory(unit=unit, region=xiuwu)
    body = {"name": "农业局驻村工作队", "dispatching_unit": unit.pk, "first_secretary": secretary_officer.pk,
            "members": [member.pk], "villages": [two_xiuwu_villages[0].code],
            "start_date": (timezone.localdate() - dt.timedelta(days=10)).isoformat()}  # fmt: skip
    response = api_as(clerk).post("/api/v1/assistance/teams/", body, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["villages"] == [two_xiuwu_villages[0].code]
    assert response.json()["is_current"] is True

    own = HouseholdFactory(village=two_xiuwu_villages[0])
    HouseholdFactory(village=two_xiuwu_villages[1])
    user = persona(Role.FIRST_SECRETARY, "410821000000", officer=secretary_officer)
    PlanFactory(household=own)
    rows = api_as(user).get("/api/v1/assistance/plans/").json()["results"]
    assert [r["household"] for r in rows] == [own.pk]


def test_team_outside_the_region_is_refused(api_as, clerk, xiuwu, boai_village):
    unit = UnitFactory(region=xiuwu, kind="dispatching")
    officer = OfficerFactory(unit=unit, region=xiuwu)
    body = {"name": "越界", "dispatching_unit": unit.pk, "first_secretary": officer.pk,
            "villages": [boai_village.code], "start_date": "2017-03-01"}  # fmt: skip
    response = api_as(clerk).post("/api/v1/assistance/teams/", body, format="json")
    assert response.status_code == 400
    assert "villages" in response.json()["errors"]


def test_schema_lists_the_assistance_endpoints(api_client):
    paths = api_client.get("/api/schema/", {"format": "json"}).json()["paths"]
    for path in (
        "/api/v1/assistance/plans/",
        "/api/v1/assistance/measures/{id}/transition/",
        "/api/v1/assistance/teams/",
    ):
        assert path in paths


def test_evidence_uploads_through_the_api(api_as, assist, household):
    from django.core.files.uploadedfile import SimpleUploadedFile

    measure = MeasureFactory(plan=PlanFactory(household=household))
    photo = SimpleUploadedFile("现场.jpg", b"\xff\xd8\xff fake jpeg", content_type="image/jpeg")
    response = api_as(assist).post(
        f"/api/v1/assistance/measures/{measure.pk}/evidence/",
        {"file": photo, "note": "入户照片"},
        format="multipart",
    )
    assert response.status_code == 201, response.json()
    assert response.json()["original_name"] == "现场.jpg"
    bad = SimpleUploadedFile("x.html", b"<script>", content_type="text/html")
    response = api_as(assist).post(
        f"/api/v1/assistance/measures/{measure.pk}/evidence/", {"file": bad}, format="multipart"
    )
    assert response.status_code == 400
    assert "file" in response.json()["errors"]
