"""Re-running a stored draw from its seed and inputs gives exactly the stored targets."""

import datetime as dt

import pytest
from django.db import IntegrityError

from core.exceptions import ConflictError, DomainError
from core.models import Region
from inspections import draw, services
from inspections.models import VisitTarget
from tests.factories.inspections import FindingFactory, RectificationItemFactory

pytestmark = pytest.mark.django_db

MONTH = dt.date(2017, 5, 1)


@pytest.fixture
def xiuwu_county(regions):
    return Region.objects.get(code="410821000000")


def test_rerunning_a_stored_draw_reproduces_its_targets(inspector, group, xiuwu_county, xiuwu_households):
    plan = services.visit_plan_draw(
        actor=inspector, group=group, county=xiuwu_county, month=MONTH,
        counts={"townships": 3, "villages_per_township": 2, "households_per_village": 2},
    )  # fmt: skip
    stored = draw.stored_targets(plan)
    assert [t.kind for t in stored].count("township") == 3
    assert any(t.kind == "household" for t in stored)

    # Households registered after the draw do not change the re-run: it reads only the stored inputs.
    from tests.factories.households import HouseholdFactory

    for target in plan.targets.filter(kind="village"):
        HouseholdFactory(village=target.region)
    plan.refresh_from_db()
    matches, redrawn, _ = services.visit_plan_verify_draw(plan=plan)
    assert matches
    assert redrawn == stored
    assert plan.draw_inputs["algorithm_version"] == plan.algorithm_version == draw.ALGORITHM_VERSION
    assert len(plan.seed) == 32


def test_same_seed_and_inputs_same_targets_other_seed_differs(
    inspector, group, xiuwu_county, xiuwu_households
):
    plan = services.visit_plan_draw(actor=inspector, group=group, county=xiuwu_county, month=MONTH)
    again = draw.draw_from_inputs(plan.draw_inputs, plan.seed)
    assert again == draw.stored_targets(plan)
    others = [draw.draw_from_inputs(plan.draw_inputs, f"{n:032x}") for n in range(1, 6)]
    assert any(o != again for o in others)


def test_tampered_targets_are_detected(inspector, group, xiuwu_county, xiuwu_households):
    plan = services.visit_plan_draw(actor=inspector, group=group, county=xiuwu_county, month=MONTH)
    target = plan.targets.filter(kind="household").first()
    other = next(h for h in xiuwu_households if h.pk != target.household_id)
    VisitTarget.objects.filter(pk=target.pk).update(household_id=other.pk)
    matches, _, _ = services.visit_plan_verify_draw(plan=plan)
    assert matches is False


def test_weights_favour_places_with_open_problems(
    inspector, group, xiuwu_county, xiuwu_households, xiuwu_office
):
    township = Region.objects.filter(parent=xiuwu_county, level="township").order_by("code").first()
    village = Region.objects.filter(parent=township, level="village").first()
    for _ in range(4):
        RectificationItemFactory(finding=FindingFactory(region=village), responsible_unit=xiuwu_office)
    plan = services.visit_plan_draw(actor=inspector, group=group, county=xiuwu_county, month=MONTH)
    weights = dict(map(tuple, plan.draw_inputs["townships"]))
    assert weights[township.code] == 5
    assert all(w == 1 for code, w in weights.items() if code != township.code)


def test_one_plan_per_group_county_month(inspector, group, xiuwu_county, xiuwu_households):
    services.visit_plan_draw(actor=inspector, group=group, county=xiuwu_county, month=MONTH)
    with pytest.raises(ConflictError):
        services.visit_plan_draw(
            actor=inspector, group=group, county=xiuwu_county, month=MONTH.replace(day=15)
        )


def test_county_clerk_cannot_draw(clerk, group, xiuwu_county):
    with pytest.raises(DomainError):
        services.visit_plan_draw(actor=clerk, group=group, county=xiuwu_county, month=MONTH)


def test_target_constraint_refuses_household_target_without_household(
    inspector, group, xiuwu_county, xiuwu_households
):
    plan = services.visit_plan_draw(actor=inspector, group=group, county=xiuwu_county, month=MONTH)
    with pytest.raises(IntegrityError):
        VisitTarget.objects.create(plan=plan, kind="household", position=999, region=xiuwu_county)


def test_draw_api_and_page(client, api_as, inspector, group, xiuwu_county, xiuwu_households):
    response = api_as(inspector).post(
        "/api/v1/inspections/plans/",
        {"group": group.pk, "county": xiuwu_county.code, "month": "2017-06-01"},
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["targets"]
    assert body["seed"]
    client.force_login(inspector)
    page = client.get(f"/inspections/plans/{body['id']}/?verify=1")
    assert page.status_code == 200
    assert page.context["verify"]["matches"] is True
