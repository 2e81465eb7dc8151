"""走访记录 and 驻村 (issue 18.2, 18.3) as the responsible officer and the first secretary, through
the API the phone pages send to: a visit sent twice is one visit, only the household's own
officer records it, its photo goes through core.uploads; a household not visited within its
county's days is flagged; days short of the county's requirement are an absence the spot
checkers see; villages not poor with households to assist and no team are listed."""

import datetime as dt
import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from assistance import selectors, services
from assistance.models import FieldworkSettings, PresenceDay, Visit
from core.models import Region, Role
from tests.conftest import XIUWU
from tests.factories.assistance import VillageTeamFactory
from tests.factories.core import OfficerFactory, UnitFactory
from tests.factories.households import HouseholdFactory
from tests.factories.inspections import JPEG_BYTES

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer_user(persona, xiuwu):
    officer = OfficerFactory(
        unit=UnitFactory(region=xiuwu), region=xiuwu, name="王帮扶", position="帮扶责任人"
    )
    user = persona(Role.ASSISTANCE_OFFICER, XIUWU, username="bangfu_xiuwu")
    user.officer = officer
    user.save()
    return user


@pytest.fixture
def mine(officer_user, xiuwu_village):
    return HouseholdFactory(village=xiuwu_village, assistance_officer=officer_user.officer)


def _visit(client_uuid=None, **extra):
    return {
        "client_uuid": str(client_uuid or uuid.uuid4()), "visited_on": str(timezone.localdate()),
        "activities": "了解务工情况", "household_said": "想学技术", "satisfaction": "satisfied", **extra,
    }  # fmt: skip


def test_the_responsible_officer_records_a_visit_once_however_often_the_phone_sends_it(
    api_as, officer_user, mine
):
    api = api_as(officer_user)
    body = _visit(household=mine.pk)
    first = api.post("/api/v1/assistance/visits/", body, format="json")
    again = api.post("/api/v1/assistance/visits/", body, format="json")
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["id"] == again.json()["id"]
    assert Visit.objects.count() == 1
    photo = SimpleUploadedFile("IMG_1.jpg", JPEG_BYTES, content_type="image/jpeg")
    sent = api.post(
        f"/api/v1/assistance/visits/{first.json()['id']}/photo/", {"photo": photo}, format="multipart"
    )
    assert sent.status_code == 201
    assert sent.json()["has_photo"]
    visit = Visit.objects.get()
    assert visit.officer == officer_user.officer
    assert visit.recorded_by == officer_user
    assert visit.photo_name == "IMG_1.jpg"


def test_only_the_households_own_officer_records_its_visit(api_as, officer_user, xiuwu_village, xiuwu):
    other = HouseholdFactory(
        village=xiuwu_village, assistance_officer=OfficerFactory(unit=UnitFactory(region=xiuwu))
    )
    response = api_as(officer_user).post(
        "/api/v1/assistance/visits/", _visit(household=other.pk), format="json"
    )
    assert response.status_code == 400
    assert "household" in response.json()["errors"]
    future = _visit(household=other.pk, visited_on=str(timezone.localdate() + dt.timedelta(days=2)))
    assert api_as(officer_user).post("/api/v1/assistance/visits/", future, format="json").status_code == 400
    assert not Visit.objects.exists()


def test_a_household_not_visited_within_the_countys_days_is_flagged(api_as, clerk, officer_user, mine, xiuwu):
    Visit.objects.create(
        client_uuid=uuid.uuid4(), household=mine, officer=officer_user.officer, activities="走访",
        visited_on=timezone.localdate() - dt.timedelta(days=20), satisfaction="satisfied", recorded_by=officer_user,
    )  # fmt: skip
    never = HouseholdFactory(village=mine.village, assistance_officer=officer_user.officer)

    def overdue():
        body = api_as(clerk).get("/api/v1/assistance/household-officers/", {"visit_overdue": "1"}).json()
        return {row["id"] for row in body["results"]}

    assert overdue() == {never.pk}  # 20 days < the default 30
    FieldworkSettings.objects.create(region=xiuwu, visit_interval_days=14, presence_days_required=20)
    assert overdue() == {mine.pk, never.pk}
    year = selectors.current_year()
    listed = {h.pk for h in selectors.worklist(actor=clerk, year=year, region=XIUWU, flag="visit_overdue")}
    assert listed == {mine.pk, never.pk}


def test_the_county_administrator_sets_the_days(client, persona, xiuwu):
    countyadmin = persona(Role.COUNTY_ADMIN, XIUWU, username="countyadmin_days")
    client.force_login(countyadmin)
    url = reverse("assistance:fieldwork_settings") + f"?region={XIUWU}"
    assert client.post(url, {"visit_interval_days": 0, "presence_days_required": 20}).status_code == 400
    assert client.post(url, {"visit_interval_days": 15, "presence_days_required": 18}).status_code == 302
    assert selectors.county_rules(XIUWU) == selectors.CountyRules(15, 18)


@pytest.fixture
def stationed(persona, xiuwu_village):
    """A first secretary whose team serves a village of 修武县, with one member."""
    team = VillageTeamFactory(villages=[xiuwu_village], start_date=dt.date(2016, 1, 1))
    member = OfficerFactory(unit=team.dispatching_unit, region=team.dispatching_unit.region, name="队员甲")
    team.memberships.create(officer=member)
    user = persona(Role.FIRST_SECRETARY, XIUWU, username="shuji_xiuwu")
    user.officer = team.first_secretary
    user.save()
    user.team = team
    return user


def test_the_first_secretary_records_days_and_a_short_month_is_an_absence(api_as, stationed, xiuwu_village):
    api = api_as(stationed)
    month = (timezone.localdate().replace(day=1) - dt.timedelta(days=1)).replace(day=1)
    for d in range(1, 6):
        body = {"client_uuid": str(uuid.uuid4()), "team": stationed.team.pk, "village": xiuwu_village.code,
                "day": str(month.replace(day=d)), "note": "入户"}  # fmt: skip
        assert api.post("/api/v1/assistance/presence/", body, format="json").status_code == 201
    twice = {**body, "client_uuid": str(uuid.uuid4())}
    refused = api.post("/api/v1/assistance/presence/", twice, format="json")
    assert refused.status_code == 409
    assert "day" in refused.json()["errors"]
    elsewhere = (
        Region.objects.filter(code__startswith="410821", level="village")
        .exclude(code=xiuwu_village.code)
        .first()
    )
    wrong = {
        **body,
        "client_uuid": str(uuid.uuid4()),
        "village": elsewhere.code,
        "day": str(month.replace(day=9)),
    }
    assert api.post("/api/v1/assistance/presence/", wrong, format="json").status_code in (400, 404)
    assert PresenceDay.objects.count() == 5

    rows = api.get("/api/v1/assistance/presence/month/", {"month": month.strftime("%Y-%m")}).json()
    by_role = {r["role"]: r for r in rows}
    assert by_role["first_secretary"]["days"] == 5
    assert by_role["first_secretary"]["shortfall"] == 15
    assert by_role["member"]["days"] == 0
    assert by_role["member"]["shortfall"] == 20


def test_spot_checkers_see_the_absences_before_they_check(client, stationed, xiuwu_village):
    from inspections import services as inspection_services
    from tests.factories.inspections import inspection_group, inspector_user

    inspector = inspector_user(inspection_group("一"), username="inspector_absences")
    for v in Region.objects.filter(parent=xiuwu_village.parent, level="village"):
        HouseholdFactory(village=v)
    plan = inspection_services.visit_plan_draw(
        actor=inspector, group=inspector.officer.inspection_groups.get(), county=Region.objects.get(code=XIUWU),
        month=timezone.localdate().replace(day=1), seed="cd" * 16,
    )  # fmt: skip
    assert plan.targets.filter(kind="team", team=stationed.team).exists()
    client.force_login(inspector)
    page = client.get(reverse("inspections:team_check", args=[plan.pk, stationed.team.pk])).content.decode()
    assert 'id="team-presence"' in page
    assert f'data-officer="{stationed.officer_id}" data-absent="' in page  # no day recorded: absent


def test_villages_not_poor_with_households_and_no_team_are_flagged(api_as, clerk, regions):
    villages = Region.objects.filter(
        code__startswith="410821", level="village", is_poor_village=False
    ).order_by("code")
    lonely, served = villages[0], villages[1]
    HouseholdFactory(village=lonely)
    HouseholdFactory(village=served)
    VillageTeamFactory(villages=[served])
    body = api_as(clerk).get("/api/v1/assistance/villages-needing-team/").json()
    codes = {row["code"] for row in body}
    assert lonely.code in codes
    assert served.code not in codes
    assert next(r for r in body if r["code"] == lonely.code)["households_to_assist"] == 1


def test_the_phone_pages_open_at_their_places(client, officer_user, mine, stationed):
    client.force_login(officer_user)
    page = client.get(reverse("assistance:visit_phone")).content.decode()
    assert 'id="field-form"' in page
    assert mine.head_name in page
    client.force_login(stationed)
    page = client.get(reverse("assistance:presence_phone")).content.decode()
    assert stationed.team.name in page


def test_visits_feed_the_scores_through_a_new_scheme_version_and_old_months_keep_theirs(officer_user, mine):
    from accountability.models import AssessmentIndicator, AssessmentScheme, IndicatorCode
    from accountability.services.schemes import scheme_add_fieldwork_version
    from accountability.services.scoring import monthly_score_compute

    today = timezone.localdate()
    this_month = today.replace(day=1)
    last_month = (this_month - dt.timedelta(days=1)).replace(day=1)
    v1 = AssessmentScheme.objects.create(
        code="kp", version=1, title="考评办法", effective_from=dt.date(2016, 1, 1)
    )
    AssessmentIndicator.objects.create(scheme=v1, code=IndicatorCode.FINDINGS, severity="minor", weight=1)
    old = monthly_score_compute(month=last_month, officer=officer_user.officer)
    assert old.scheme == v1
    v2 = scheme_add_fieldwork_version(scheme=v1, effective_from=this_month, actor=None)
    assert v2.version == 2
    assert {i.code for i in v2.indicators.all()} >= {"findings", "households_not_visited"}
    new = monthly_score_compute(month=this_month, officer=officer_user.officer)
    assert new.scheme == v2
    assert new.inputs["counts"]["households_not_visited"] == 1  # its one household, not visited this month
    assert any(d["indicator"] == "households_not_visited" for d in new.breakdown)
    services.visit_record(
        actor=officer_user, household=mine, client_uuid=uuid.uuid4(), visited_on=today,
        activities="走访", satisfaction="satisfied",
    )  # fmt: skip
    again = monthly_score_compute(month=this_month, officer=officer_user.officer)
    assert again.inputs["counts"]["households_not_visited"] == 0
    assert again.score > new.score
    old.refresh_from_db()
    assert monthly_score_compute(month=last_month, officer=officer_user.officer).scheme == v1
