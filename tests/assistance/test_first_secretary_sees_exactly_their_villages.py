"""A first secretary sees exactly the households of the villages their current team serves:
in selectors, pages and API alike; everything else is 404."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from assistance import selectors, services
from assistance.models import MeasureKind
from tests.factories.assistance import MeasureFactory, PlanFactory, VillageTeamFactory
from tests.factories.households import HouseholdFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(secretary, two_xiuwu_villages, boai_village):
    own_village, other_village = two_xiuwu_villages
    mine = [HouseholdFactory(village=own_village) for _ in range(3)]
    same_county = HouseholdFactory(village=other_village)
    other_county = HouseholdFactory(village=boai_village)
    plans = {hh.pk: PlanFactory(household=hh) for hh in [*mine, same_county, other_county]}
    measures = {hh_id: MeasureFactory(plan=p) for hh_id, p in plans.items()}
    return {"mine": mine, "hidden": [same_county, other_county], "plans": plans, "measures": measures}


def test_selector_lists_exactly_the_team_villages_households(secretary, world):
    assert set(selectors.household_list(actor=secretary)) == set(world["mine"])
    plan_households = {p.household_id for p in selectors.plan_list(actor=secretary)}
    assert plan_households == {hh.pk for hh in world["mine"]}
    measure_plans = {m.plan_id for m in selectors.measure_list(actor=secretary)}
    assert measure_plans == {world["plans"][hh.pk].pk for hh in world["mine"]}


def test_a_team_that_ended_gives_no_villages(secretary, world):
    secretary.team.end_date = timezone.localdate() - dt.timedelta(days=1)
    secretary.team.save()
    assert not selectors.household_list(actor=secretary).exists()


def test_a_second_current_team_adds_its_villages(secretary, world, two_xiuwu_villages):
    VillageTeamFactory(villages=[two_xiuwu_villages[1]], first_secretary=secretary.officer)
    assert world["hidden"][0] in set(selectors.household_list(actor=secretary))
    assert world["hidden"][1] not in set(selectors.household_list(actor=secretary))


def test_secretary_without_officer_sees_nothing(persona, world):
    from core.models import Role

    loose = persona(Role.FIRST_SECRETARY, "410821000000")
    assert not selectors.household_list(actor=loose).exists()


def test_county_assistance_officer_still_sees_the_whole_county(assist, world):
    seen = set(selectors.household_list(actor=assist))
    assert set(world["mine"]) | {world["hidden"][0]} <= seen
    assert world["hidden"][1] not in seen


def test_secretary_pages_open_for_own_households_and_404_elsewhere(client, secretary, world):
    client.force_login(secretary)
    own = world["mine"][0]
    assert client.get(reverse("assistance:plan", args=[own.pk])).status_code == 200
    for hh in world["hidden"]:
        plan, measure = world["plans"][hh.pk], world["measures"][hh.pk]
        assert client.get(reverse("assistance:plan", args=[hh.pk])).status_code == 404
        assert client.post(reverse("assistance:plan_create", args=[hh.pk]), {"year": 2016}).status_code == 404
        assert (
            client.post(reverse("assistance:plan_edit", args=[plan.pk]), {"summary": "x"}).status_code == 404
        )
        assert (
            client.post(reverse("assistance:measure_add", args=[plan.pk]), {"kind": "employment"}).status_code
            == 404
        )
        response = client.post(
            reverse("assistance:measure_transition", args=[measure.pk]), {"status": "in_progress"}
        )
        assert response.status_code == 404
    worklist = client.get(reverse("assistance:worklist"), {"flag": "no_plan"})
    assert worklist.status_code == 200


def test_secretary_worklist_lists_only_team_villages(client, secretary, world, two_xiuwu_villages):
    client.force_login(secretary)
    # No plan for 2016 anywhere: every visible household is "missing".
    response = client.get(reverse("assistance:worklist"), {"year": 2016})
    ids = {hh.pk for hh in response.context["page"]}
    assert ids == {hh.pk for hh in world["mine"]}
    assert [v["village_id"] for v in response.context["by_village"]] == [two_xiuwu_villages[0].code]


def test_secretary_api_lists_and_404s(api_as, secretary, world):
    client = api_as(secretary)
    plans = client.get("/api/v1/assistance/plans/").json()["results"]
    assert {p["household"] for p in plans} == {hh.pk for hh in world["mine"]}
    measures = client.get("/api/v1/assistance/measures/").json()["results"]
    assert {m["plan"] for m in measures} == {world["plans"][hh.pk].pk for hh in world["mine"]}
    for hh in world["hidden"]:
        plan, measure = world["plans"][hh.pk], world["measures"][hh.pk]
        assert client.get(f"/api/v1/assistance/plans/{plan.pk}/").status_code == 404
        assert (
            client.patch(f"/api/v1/assistance/plans/{plan.pk}/", {"summary": "x"}, format="json").status_code
            == 404
        )
        assert client.get(f"/api/v1/assistance/measures/{measure.pk}/").status_code == 404
        response = client.post(
            f"/api/v1/assistance/measures/{measure.pk}/transition/", {"status": "in_progress"}, format="json"
        )
        assert response.status_code == 404
        response = client.post(
            "/api/v1/assistance/measures/",
            {
                "plan": plan.pk,
                "kind": "employment",
                "title": "x",
                "causes": [hh.main_cause],
                "planned_end": "2030-01-01",
            },
            format="json",
        )
        assert response.status_code == 404
        response = client.post("/api/v1/assistance/plans/", {"household": hh.pk, "year": 2016}, format="json")
        assert response.status_code == 404


def test_secretary_sees_only_their_team(api_as, secretary, world, two_xiuwu_villages):
    other = VillageTeamFactory(villages=[two_xiuwu_villages[1]])
    rows = api_as(secretary).get("/api/v1/assistance/teams/").json()["results"]
    assert [r["id"] for r in rows] == [secretary.team.pk]
    assert api_as(secretary).get(f"/api/v1/assistance/teams/{other.pk}/").status_code == 404


def test_secretary_keeps_own_households_plans(secretary, world):
    own = world["mine"][1]
    measure = services.measure_add(
        plan=world["plans"][own.pk], actor=secretary, kind=MeasureKind.INDUSTRY, title="光伏",
        causes=[own.main_cause], planned_end=timezone.localdate(),
    )  # fmt: skip
    assert measure.pk
