"""Every poverty cause of a household must be answered by a measure that is not cancelled."""

import datetime as dt

import pytest
from django.utils import timezone

from assistance import selectors, services
from assistance.models import MeasureKind, MeasureStatus
from core.exceptions import DomainError

pytestmark = pytest.mark.django_db

SOON = timezone.localdate() + dt.timedelta(days=60)


def add(plan, actor, causes, kind=MeasureKind.EMPLOYMENT):
    return services.measure_add(
        plan=plan, actor=actor, kind=kind, title="务工推荐", causes=causes, planned_end=SOON
    )


def flagged_plan_ids(actor):
    return {p.pk for p in selectors.plan_list(actor=actor) if p.uncovered}


def test_plan_leaving_a_cause_uncovered_is_flagged_until_a_measure_answers_it(assist, household):
    plan = services.plan_create(household=household, year=2017, actor=assist)
    add(plan, assist, ["illness"], MeasureKind.MEDICAL_RELIEF)
    add(plan, assist, ["lack_skills"], MeasureKind.SKILLS_TRAINING)

    listed = selectors.plan_get(actor=assist, pk=plan.pk)
    assert listed.uncovered == ["lack_funds"]
    assert selectors.uncovered_causes(plan) == ["lack_funds"]
    assert plan.pk in flagged_plan_ids(assist)

    add(plan, assist, ["lack_funds"], MeasureKind.MICROCREDIT)
    assert selectors.plan_get(actor=assist, pk=plan.pk).uncovered == []
    assert selectors.uncovered_causes(plan) == []
    assert plan.pk not in flagged_plan_ids(assist)


def test_one_measure_may_answer_several_causes(assist, household):
    plan = services.plan_create(household=household, year=2017, actor=assist)
    add(plan, assist, ["illness", "lack_skills", "lack_funds"], MeasureKind.INDUSTRY)
    assert selectors.plan_get(actor=assist, pk=plan.pk).uncovered == []


def test_cancelling_the_only_measure_for_a_cause_flags_the_plan_again(assist, household):
    plan = services.plan_create(household=household, year=2017, actor=assist)
    add(plan, assist, ["illness", "lack_skills"], MeasureKind.INDUSTRY)
    credit = add(plan, assist, ["lack_funds"], MeasureKind.MICROCREDIT)
    assert selectors.plan_get(actor=assist, pk=plan.pk).uncovered == []

    services.measure_transition(
        measure=credit, to_status=MeasureStatus.CANCELLED, actor=assist, reason="银行未放贷"
    )
    assert selectors.plan_get(actor=assist, pk=plan.pk).uncovered == ["lack_funds"]
    assert selectors.uncovered_causes(plan) == ["lack_funds"]


def test_cancelling_one_of_two_measures_for_a_cause_keeps_it_covered(assist, household):
    plan = services.plan_create(household=household, year=2017, actor=assist)
    add(plan, assist, ["illness", "lack_skills", "lack_funds"], MeasureKind.INDUSTRY)
    credit = add(plan, assist, ["lack_funds"], MeasureKind.MICROCREDIT)
    services.measure_transition(
        measure=credit, to_status=MeasureStatus.CANCELLED, actor=assist, reason="重复"
    )
    assert selectors.plan_get(actor=assist, pk=plan.pk).uncovered == []


def test_a_measure_cannot_answer_a_cause_the_household_does_not_have(assist, household):
    plan = services.plan_create(household=household, year=2017, actor=assist)
    with pytest.raises(DomainError) as err:
        add(plan, assist, ["illness", "disaster"], MeasureKind.DISASTER_RELIEF)
    assert err.value.field == "causes"
    assert "因灾" in str(err.value.message) or "disaster" in str(err.value.message)
    assert plan.measures.count() == 0


def test_a_measure_must_answer_at_least_one_cause(assist, household):
    plan = services.plan_create(household=household, year=2017, actor=assist)
    with pytest.raises(DomainError) as err:
        add(plan, assist, [])
    assert err.value.field == "causes"


def test_household_causes_changed_later_are_judged_by_the_current_causes(assist, household):
    plan = services.plan_create(household=household, year=2017, actor=assist)
    add(plan, assist, ["illness", "lack_skills", "lack_funds"], MeasureKind.INDUSTRY)
    household.secondary_causes = ["lack_skills", "lack_water"]
    household.save()
    assert selectors.plan_get(actor=assist, pk=plan.pk).uncovered == ["lack_water"]


def test_late_measures_are_counted_and_done_ones_are_not(assist, household):
    plan = services.plan_create(household=household, year=2017, actor=assist)
    # (an industry measure: an employment measure is done only once it names the member employed)
    late = services.measure_add(
        plan=plan, actor=assist, kind=MeasureKind.INDUSTRY, title="养殖", causes=["illness"],
        planned_end=timezone.localdate() - dt.timedelta(days=3),
    )  # fmt: skip
    add(plan, assist, ["lack_skills", "lack_funds"])
    assert selectors.plan_get(actor=assist, pk=plan.pk).late_measures == 1
    services.measure_transition(measure=late, to_status=MeasureStatus.IN_PROGRESS, actor=assist)
    assert selectors.plan_get(actor=assist, pk=plan.pk).late_measures == 1
    services.measure_transition(measure=late, to_status=MeasureStatus.DONE, actor=assist)
    assert selectors.plan_get(actor=assist, pk=plan.pk).late_measures == 0


def test_summary_for_household_page_shows_each_cause_and_its_coverage(assist, household):
    plan = services.plan_create(household=household, year=timezone.localdate().year, actor=assist)
    add(plan, assist, ["illness"])
    summary = selectors.plan_summary_for_household(actor=assist, household=household)
    assert summary.plan == plan
    assert [(c.code, c.covered) for c in summary.causes] == [
        ("illness", True), ("lack_skills", False), ("lack_funds", False),
    ]  # fmt: skip
    assert summary.flagged


def test_summary_without_plan_flags_a_registered_household(assist, household):
    summary = selectors.plan_summary_for_household(actor=assist, household=household)
    assert summary.plan is None
    assert summary.flagged


def test_responsible_officer_from_the_county_or_the_village_team(
    assist, household, xiuwu_village, boai_officer
):
    from tests.factories.assistance import VillageTeamFactory

    plan = services.plan_create(household=household, year=2017, actor=assist)
    with pytest.raises(DomainError) as err:
        services.measure_add(plan=plan, actor=assist, kind=MeasureKind.EMPLOYMENT, title="x", causes=["illness"],
                             planned_end=SOON, responsible_officer=boai_officer)  # fmt: skip
    assert err.value.field == "responsible_officer"
    # A dispatched officer from another region may answer for measures in the village the team serves.
    team = VillageTeamFactory(villages=[xiuwu_village], first_secretary=boai_officer)
    measure = services.measure_add(plan=plan, actor=assist, kind=MeasureKind.EMPLOYMENT, title="x",
                                   causes=["illness"], planned_end=SOON, responsible_officer=team.first_secretary)  # fmt: skip
    assert measure.responsible_officer == boai_officer
