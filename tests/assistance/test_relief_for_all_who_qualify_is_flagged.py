"""应保尽保: a household poor through illness, schooling, disaster, disability or lack of labour is
flagged — on the plan page, in the work list, in the county's count and the API — until its plan
has a matching relief measure (医疗、教育、灾害、临时、特殊、慈善救助, 低保/特困兜底)."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from assistance import selectors, services
from assistance.models import MeasureKind, MeasureStatus
from tests.factories.assistance import MeasureFactory, PlanFactory
from tests.factories.households import HouseholdFactory

pytestmark = pytest.mark.django_db

YEAR = timezone.localdate().year
SOON = timezone.localdate() + dt.timedelta(days=60)


def plan_url(household):
    return reverse("assistance:plan", args=[household.pk]) + f"?year={YEAR}"


def worklist(client, **params):
    return client.get(reverse("assistance:worklist"), {"region": "410821000000", "year": YEAR, **params})


def test_the_clerk_sees_the_flag_until_a_matching_relief_measure_is_in_the_plan(client, clerk, household):
    plan = PlanFactory(household=household, year=YEAR)
    # Every cause is answered (industry answers illness) — but no relief for the illness.
    services.measure_add(
        plan=plan, actor=clerk, kind=MeasureKind.INDUSTRY, title="养牛", causes=["illness", "lack_skills", "lack_funds"],
        planned_end=SOON,
    )  # fmt: skip
    client.force_login(clerk)
    body = client.get(plan_url(household)).content.decode()
    assert 'data-flag="relief"' in body
    assert 'data-flag="none"' in body  # coverage itself is complete

    listed = worklist(client, flag="relief")
    assert [hh.pk for hh in listed.context["page"]] == [household.pk]
    assert listed.context["relief_total"] == 1
    assert 'data-relief-total="1"' in listed.content.decode()
    assert 'data-flag="relief"' in listed.content.decode()

    # Temporary relief answers illness: the flag goes.
    services.measure_add(
        plan=plan, actor=clerk, kind=MeasureKind.TEMPORARY_RELIEF, title="临时救助", causes=["illness"],
        planned_end=SOON,
    )  # fmt: skip
    assert 'data-flag="relief"' not in client.get(plan_url(household)).content.decode()
    assert worklist(client).context["relief_total"] == 0
    assert not list(worklist(client, flag="relief").context["page"])


def test_a_cancelled_relief_measure_flags_the_household_again(clerk, household):
    plan = PlanFactory(household=household, year=YEAR)
    relief = services.measure_add(
        plan=plan,
        actor=clerk,
        kind=MeasureKind.MEDICAL_RELIEF,
        title="大病救助",
        causes=["illness"],
        planned_end=SOON,
    )
    assert selectors.plan_get(actor=clerk, pk=plan.pk).relief_missing == []
    services.measure_transition(measure=relief, to_status=MeasureStatus.CANCELLED, actor=clerk, reason="重复")
    assert selectors.plan_get(actor=clerk, pk=plan.pk).relief_missing == ["illness"]


def test_lack_of_labour_needs_a_guarantee_and_other_causes_need_no_relief(clerk, xiuwu_village):
    alone = HouseholdFactory(village=xiuwu_village, main_cause="lack_labour")
    plan = PlanFactory(household=alone, year=YEAR)
    MeasureFactory(plan=plan, kind=MeasureKind.ASSET_INCOME, causes=["lack_labour"])
    assert selectors.plan_get(actor=clerk, pk=plan.pk).relief_missing == ["lack_labour"]
    MeasureFactory(plan=plan, kind=MeasureKind.DESTITUTE_SUPPORT, causes=["lack_labour"])
    assert selectors.plan_get(actor=clerk, pk=plan.pk).relief_missing == []

    dry = HouseholdFactory(village=xiuwu_village, main_cause="lack_water")
    dry_plan = PlanFactory(household=dry, year=YEAR)
    assert selectors.plan_get(actor=clerk, pk=dry_plan.pk).relief_missing == []


def test_a_household_without_a_plan_is_flagged_too_and_counted_in_its_county_only(
    client, clerk, other_clerk, household, boai_household
):
    client.force_login(clerk)
    response = worklist(client, flag="relief")
    assert [hh.pk for hh in response.context["page"]] == [household.pk]
    assert response.context["relief_total"] == 1
    client.force_login(other_clerk)
    boai = client.get(
        reverse("assistance:worklist"), {"region": "410822000000", "year": YEAR, "flag": "relief"}
    )
    assert [hh.pk for hh in boai.context["page"]] == [boai_household.pk]


def test_the_api_gives_each_plan_its_missing_relief(api_as, clerk, household, xiuwu_village):
    flagged = PlanFactory(household=household, year=YEAR)
    fine = PlanFactory(household=HouseholdFactory(village=xiuwu_village, main_cause="lack_water"), year=YEAR)
    rows = api_as(clerk).get("/api/v1/assistance/plans/", {"relief_missing": "true"}).json()["results"]
    assert [(r["id"], r["relief_missing"]) for r in rows] == [(flagged.pk, ["illness"])]
    rows = api_as(clerk).get("/api/v1/assistance/plans/", {"relief_missing": "false"}).json()["results"]
    assert [r["id"] for r in rows] == [fine.pk]


def test_the_flag_in_sql_and_in_python_agree_on_random_plans(assist, xiuwu_village):
    import random

    from assistance.models import Measure
    from households.models import PovertyCause

    rng = random.Random(17)
    kinds = list(MeasureKind.values)
    causes = list(PovertyCause.values)
    for i in range(40):
        own = rng.sample(causes, rng.randint(1, 3))
        household = HouseholdFactory(village=xiuwu_village, main_cause=own[0], secondary_causes=own[1:])
        if i % 6 == 0:
            continue  # no plan: flagged when a cause calls for relief
        plan = PlanFactory(household=household, year=YEAR)
        for _ in range(rng.randint(0, 3)):
            status = rng.choice(list(MeasureStatus.values))
            MeasureFactory(
                plan=plan, kind=rng.choice(kinds), causes=[rng.choice(own)], status=status,
                cancel_reason="取消" if status == MeasureStatus.CANCELLED else "",
                actual_end=timezone.localdate() if status == MeasureStatus.DONE else None,
            )  # fmt: skip
    rows = list(selectors.worklist_base(actor=assist, year=YEAR))
    for hh in rows:
        live = list(Measure.objects.filter(plan_id=hh.plan_id)) if hh.plan_id else []
        assert hh.relief_missing == selectors.relief_missing(hh.causes, live)
        assert hh.relief_lacking == bool(hh.relief_missing)
    assert any(hh.relief_lacking for hh in rows)
    assert not all(hh.relief_lacking for hh in rows)
    flagged = {p.pk for p in selectors.plan_list(actor=assist, filters={"relief_missing": True})}
    assert flagged == {hh.plan_id for hh in rows if hh.plan_id and hh.relief_missing}
