"""Surveys move the county's rates by the right amount (sample sizes shown); villages without a team
are flagged until one is assigned; spot checks and repeated absences; draw v2 keeps v1 results."""

import datetime as dt

import pytest
from django.utils import timezone

from accountability.inputs import Scope, collect
from assistance import selectors as assistance_selectors
from assistance.models import TeamVillage
from core.models import Region
from inspections import draw, services, targets
from inspections.models import ReportStatus, VisitPlan
from tests.factories.assistance import VillageTeamFactory
from tests.factories.households import HouseholdFactory
from tests.factories.inspections import VisitReportFactory, inspection_group, inspector_user

pytestmark = pytest.mark.django_db
XIUWU = "410821000000"


@pytest.fixture
def inspector(regions):
    return inspector_user(inspection_group("一"), username="inspector_sixones")


def _filed_report(village, households, day):
    report = VisitReportFactory(
        village=village, visit_date=day, status=ReportStatus.FILED, filed_at=timezone.now()
    )
    report.households_visited.set(households)
    return report


def test_a_survey_changes_the_county_satisfaction_rate_by_the_right_amount(
    client, inspector, leader, xiuwu_village
):
    day = timezone.localdate().replace(day=1)
    households = [HouseholdFactory(village=xiuwu_village) for _ in range(4)]
    report = _filed_report(xiuwu_village, households, day)
    for h, sat in zip(households[:3], ["satisfied", "dissatisfied", "very_satisfied"], strict=True):
        services.survey_record(report=report, household_id=h.pk, result="identification", recognises=True,
                               satisfaction=sat, actor=inspector)  # fmt: skip
    before = targets.survey_rates(prefix="410821", month=day)[XIUWU]["satisfaction"]
    assert (before.part, before.whole) == (2, 3)

    services.survey_record(report=report, household_id=households[3].pk, result="identification",
                           recognises=False, satisfaction="neutral", actor=inspector)  # fmt: skip
    after = targets.survey_rates(prefix="410821", month=day)[XIUWU]
    assert (after["satisfaction"].part, after["satisfaction"].whole) == (2, 4)
    assert after["satisfaction"].rate - before.rate == pytest.approx(2 / 4 - 2 / 3)
    assert (after["recognition"].part, after["recognition"].whole) == (3, 4)

    # Recording the same household again corrects its answer: no second sample.
    services.survey_record(report=report, household_id=households[3].pk, result="identification",
                           recognises=True, satisfaction="satisfied", actor=inspector)  # fmt: skip
    again = targets.survey_rates(prefix="410821", month=day)[XIUWU]["satisfaction"]
    assert (again.part, again.whole) == (3, 4)

    client.force_login(leader)
    page = client.get(f"/inspections/surveys/?month={day:%Y-%m}").content.decode()
    assert "(3/4)" in page
    assert "data-n>4<" in page
    board = client.get(f"/dashboard/six-ones/?month={day:%Y-%m}").content.decode()
    assert "(3/4, n=4)" in board


def test_only_visited_households_can_be_surveyed_and_clerks_cannot_record(inspector, clerk, xiuwu_village):
    from core.exceptions import DomainError

    report = _filed_report(xiuwu_village, [HouseholdFactory(village=xiuwu_village)], timezone.localdate())
    stranger = HouseholdFactory(village=xiuwu_village)
    with pytest.raises(DomainError) as error:
        services.survey_record(report=report, household_id=stranger.pk, result="exit", recognises=True,
                               satisfaction="satisfied", actor=inspector)  # fmt: skip
    assert error.value.field == "household"
    with pytest.raises(DomainError):
        services.survey_record(report=report, household_id=stranger.pk, result="exit", recognises=True,
                               satisfaction="satisfied", actor=clerk)  # fmt: skip


def test_survey_api_and_other_county_404(api_as, inspector, other_clerk, clerk, xiuwu_village):
    h = HouseholdFactory(village=xiuwu_village)
    report = _filed_report(xiuwu_village, [h], timezone.localdate())
    api = api_as(inspector)
    response = api.post(
        f"/api/v1/inspections/reports/{report.pk}/surveys/",
        {"household": h.pk, "result": "identification", "recognises": True, "satisfaction": "satisfied"},
        format="json",
    )
    assert response.status_code == 201
    assert (
        api_as(clerk).get(f"/api/v1/inspections/reports/{report.pk}/surveys/").json()[0]["household"] == h.pk
    )
    assert api_as(other_clerk).get(f"/api/v1/inspections/reports/{report.pk}/surveys/").status_code == 404
    rates = api_as(clerk).get("/api/v1/inspections/surveys/rates/").json()
    assert rates == [{"region": XIUWU, "n": 1, "recognition": {"part": 1, "whole": 1, "rate": 1.0},
                      "satisfaction": {"part": 1, "whole": 1, "rate": 1.0}}]  # fmt: skip
    assert api_as(other_clerk).get("/api/v1/inspections/surveys/rates/").json() == []


def test_a_village_with_households_and_no_team_is_flagged_until_a_team_is_assigned(
    client, clerk, xiuwu_village
):
    HouseholdFactory(village=xiuwu_village)
    flagged = assistance_selectors.uncovered_villages(actor=clerk)
    assert xiuwu_village.code in {v.code for v in flagged}
    client.force_login(clerk)
    assert f'data-village="{xiuwu_village.code}"' in client.get("/assistance/coverage/").content.decode()

    team = VillageTeamFactory()
    TeamVillage.objects.create(team=team, village=xiuwu_village)

    assert xiuwu_village.code not in {v.code for v in assistance_selectors.uncovered_villages(actor=clerk)}
    assert f'data-village="{xiuwu_village.code}"' not in client.get("/assistance/coverage/").content.decode()
    row = next(v for v in assistance_selectors.village_coverage(actor=clerk) if v.code == xiuwu_village.code)
    assert row.has_team
    assert row.households_on_register == 1


def test_coverage_other_county_sees_nothing_of_this_one(api_as, other_clerk, xiuwu_village):
    HouseholdFactory(village=xiuwu_village)
    rows = api_as(other_clerk).get("/api/v1/assistance/coverage/?flagged=1").json()["results"]
    assert xiuwu_village.code not in {r["village"] for r in rows}


def test_coverage_through_the_api_pages_by_village_code(api_as, clerk, xiuwu_village):
    """Issue 22: it answered its first 5,000 villages as one array whatever `page_size` asked; now a
    keyset page by village code like every list, `flagged` a true/false filter (anything else 400)."""
    villages = list(Region.objects.filter(parent=xiuwu_village.parent, level="village").order_by("code")[:3])
    for village in villages:
        HouseholdFactory(village=village)
    TeamVillage.objects.create(team=VillageTeamFactory(), village=villages[1])
    client = api_as(clerk)
    seen, url = [], "/api/v1/assistance/coverage/?page_size=2"
    while url:
        page = client.get(url).json()
        assert len(page["results"]) <= 2
        seen += page["results"]
        url = page["next"]
    assert [r["village"] for r in seen] == [v.code for v in villages]
    assert [r["flagged"] for r in seen] == [True, False, True]
    flagged = client.get("/api/v1/assistance/coverage/", {"flagged": "true"}).json()["results"]
    assert [r["village"] for r in flagged] == [villages[0].code, villages[2].code]
    bad = client.get("/api/v1/assistance/coverage/", {"flagged": "bogus"})
    assert bad.status_code == 400
    assert "flagged" in bad.json()["errors"]


def test_draw_v2_adds_a_team_stage_and_v1_plans_reproduce_unchanged(inspector, xiuwu_village):
    county = Region.objects.get(code=XIUWU)
    for v in Region.objects.filter(parent=xiuwu_village.parent, level="village"):
        HouseholdFactory(village=v)
    team = VillageTeamFactory()
    TeamVillage.objects.create(team=team, village=xiuwu_village)
    group = inspector.officer.inspection_groups.get()
    plan = services.visit_plan_draw(actor=inspector, group=group, county=county, month=dt.date(2017, 5, 1),
                                    seed="ab" * 16)  # fmt: skip
    assert plan.algorithm_version == draw.ALGORITHM_V2
    stored = draw.stored_targets(plan)
    assert [t for t in stored if t.kind == "team"] == [draw.Target("team", str(team.pk), xiuwu_village.code)]
    assert services.visit_plan_verify_draw(plan=plan)[0]

    # The same inputs under v1 give exactly the non-team targets: stored v1 draws are unchanged.
    v1_inputs = {**plan.draw_inputs, "algorithm_version": draw.ALGORITHM_V1}
    v1_inputs.pop("teams")
    assert draw.draw_from_inputs(v1_inputs, plan.seed) == [t for t in stored if t.kind != "team"]
    VisitPlan.objects.filter(pk=plan.pk).update(algorithm_version=draw.ALGORITHM_V1, draw_inputs=v1_inputs)
    plan.targets.filter(kind="team").delete()
    plan.refresh_from_db()
    assert services.visit_plan_verify_draw(plan=plan)[0]


def test_repeated_absences_feed_the_score_inputs(inspector, xiuwu_village):
    team = VillageTeamFactory()
    TeamVillage.objects.create(team=team, village=xiuwu_village)
    month = timezone.localdate().replace(day=1)
    earlier = month - dt.timedelta(days=20)
    services.team_check_record(team=team, actor=inspector, checked_on=earlier, secretary_present=False,
                               records_state="incomplete")  # fmt: skip
    scope = Scope(prefixes=("410821",))
    assert collect(scope, month).counts["repeated_absences"] == 0
    services.team_check_record(team=team, actor=inspector, checked_on=month, secretary_present=False,
                               records_state="missing")  # fmt: skip
    inputs = collect(scope, month)
    assert inputs.counts["repeated_absences"] == 1
    # The first secretary answers for it too, wherever they are.
    officer_scope = Scope(officer_ids=(team.first_secretary_id,))
    assert collect(officer_scope, month).counts["repeated_absences"] == 1
    # A check where the secretary is present counts nothing.
    services.team_check_record(team=team, actor=inspector, checked_on=month + dt.timedelta(days=1) if
                               month + dt.timedelta(days=1) <= timezone.localdate() else earlier - dt.timedelta(days=1),
                               secretary_present=True, records_state="complete")  # fmt: skip
    assert collect(scope, month).counts["repeated_absences"] == 1


def test_the_team_checks_api_pages_like_every_list(api_as, inspector, xiuwu_village):
    """page_size is obeyed and the pages walk every check once, newest first (it answered the first
    500 as one array whatever was asked)."""
    team = VillageTeamFactory()
    TeamVillage.objects.create(team=team, village=xiuwu_village)
    today = timezone.localdate()
    for days in (1, 2, 3):
        services.team_check_record(team=team, actor=inspector, checked_on=today - dt.timedelta(days=days),
                                   secretary_present=True, records_state="complete")  # fmt: skip
    api = api_as(inspector)
    first = api.get("/api/v1/inspections/team-checks/", {"page_size": 2}).json()
    assert [c["checked_on"] for c in first["results"]] == [
        (today - dt.timedelta(days=d)).isoformat() for d in (1, 2)
    ]
    second = api.get(first["next"]).json()
    assert [c["checked_on"] for c in second["results"]] == [(today - dt.timedelta(days=3)).isoformat()]
    assert second["next"] is None
    assert api.get("/api/v1/inspections/team-checks/", {"page_size": "abc"}).status_code == 400
