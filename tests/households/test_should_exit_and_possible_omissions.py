"""应退未退 and 漏评 (issue 17.3): the county's lists of registered households that meet every exit
condition with no exit procedure, and of households not registered poor whose income or
guarantees say they may be poor — each of those reviewed to a decision (start the entry
procedure, or dismiss with a reason), as the county clerk; the county administrator reads both."""

from decimal import Decimal

import pytest
from django.urls import reverse

from core.exceptions import DomainError
from core.models import Role
from households.models import (
    CaseState,
    HouseholdStatus,
    Income,
    OmissionDecision,
    OmissionReview,
    ProcedureCase,
    ProcedureKind,
    Step,
)
from households.selectors.candidates import current_line, exit_due, omission_candidates, review_year
from households.services.candidates import omission_review_decide
from tests.conftest import XIUWU, make_user
from tests.factories.households import HouseholdFactory, MemberFactory

pytestmark = pytest.mark.django_db

MET = dict.fromkeys(
    ("food_secure", "clothing_secure", "education_secured", "medical_secured", "housing_secured"), True
)


@pytest.fixture
def county_admin(regions):
    return make_user(Role.COUNTY_ADMIN, XIUWU, username="countyadmin_xiuwu")


def household(village, *, status=HouseholdStatus.REGISTERED, income=None, members_current=True, **fields):
    h = HouseholdFactory(village=village, status=status, **fields)
    MemberFactory(household=h, name=h.head_name, is_current=members_current)
    if income is not None:
        Income.objects.create(household=h, year=current_line().year, per_capita_net_income=Decimal(income))
    return h


@pytest.fixture
def world(xiuwu_village, boai_village, clerk):
    line = current_line().amount
    w = {
        "due": household(xiuwu_village, income=line + 1000, **MET),
        "exiting": household(xiuwu_village, income=line + 1000, **MET),
        "poor": household(xiuwu_village, income=line - 500, **MET),
        "unmet": household(xiuwu_village, income=line + 1000, **{**MET, "housing_secured": False}),
        "other_county": household(boai_village, income=line + 1000, **MET),
        # 漏评 candidates: removed with a low income; exited with a guarantee unmet.
        "removed": household(
            xiuwu_village, status=HouseholdStatus.REMOVED, income=line - 800, members_current=False, **MET
        ),
        "exited": household(
            xiuwu_village,
            status=HouseholdStatus.EXITED,
            income=line + 900,
            **{**MET, "medical_secured": False},
        ),
        "exited_fine": household(xiuwu_village, status=HouseholdStatus.EXITED, income=line + 900, **MET),
    }
    ProcedureCase.objects.create(household=w["exiting"], kind=ProcedureKind.EXIT, started_by=clerk)
    return w


def test_should_have_exited_lists_only_the_households_meeting_every_exit_condition_without_a_procedure(
    client, clerk, county_admin, world
):
    assert set(exit_due(actor=clerk)) == {world["due"]}
    for user in (clerk, county_admin):
        client.force_login(user)
        page = client.get(reverse("households:exit_due"))
        assert page.status_code == 200
        body = page.content.decode()
        assert world["due"].file_number in body
        for absent in ("exiting", "poor", "unmet", "other_county"):
            assert world[absent].file_number not in body
    rows = client.get("/api/v1/households/exit-due/").json()["results"]
    assert [r["file_number"] for r in rows] == [world["due"].file_number]


def test_the_home_page_shows_both_figures(client, clerk, world):
    client.force_login(clerk)
    body = client.get(reverse("home")).content.decode()
    assert 'id="candidates-panel"' in body
    assert reverse("households:exit_due") in body
    assert reverse("households:omissions") in body
    panel = body[body.index('id="candidates-panel"') :]
    figures = [panel.split('class="figure">')[i].split("<")[0] for i in (1, 2)]
    assert figures == ["1", "2"]  # one household should exit; two possible omissions


def test_possible_omissions_are_listed_with_why(client, clerk, world):
    assert set(omission_candidates(actor=clerk)) == {world["removed"], world["exited"]}
    client.force_login(clerk)
    body = client.get(reverse("households:omissions")).content.decode()
    assert world["removed"].file_number in body
    assert world["exited"].file_number in body
    assert world["exited_fine"].file_number not in body
    rows = {r["file_number"]: r for r in client.get("/api/v1/households/omissions/").json()["results"]}
    assert (
        rows[world["removed"].file_number]["income_below_line"],
        rows[world["exited"].file_number]["guarantee_unmet"],
    ) == (True, True)


def test_a_removed_household_found_again_starts_the_entry_procedure(clerk, world):
    review = omission_review_decide(
        household=world["removed"], actor=clerk, decision=OmissionDecision.ENTRY_STARTED, reason="收入下降"
    )
    assert review.status == OmissionDecision.ENTRY_STARTED
    assert list(review.status_changes.values_list("from_status", "to_status")) == [
        ("", OmissionDecision.OPEN),
        (OmissionDecision.OPEN, OmissionDecision.ENTRY_STARTED),
    ]
    h = world["removed"]
    h.refresh_from_db()
    assert h.status == HouseholdStatus.APPLYING
    case = h.procedures.get(state=CaseState.OPEN)
    assert (case.kind, case.last_step, case.next_step) == (
        ProcedureKind.ENTRY,
        Step.APPLICATION,
        Step.VILLAGE_REVIEW,
    )
    assert h.members.get().is_current
    assert world["removed"] not in omission_candidates(actor=clerk)


def test_a_possible_omission_is_dismissed_only_with_a_reason_and_then_leaves_the_list(client, clerk, world):
    h = world["exited"]
    with pytest.raises(DomainError) as refused:
        omission_review_decide(household=h, actor=clerk, decision=OmissionDecision.DISMISSED, reason="")
    assert "reason" in refused.value.as_dict()
    assert not OmissionReview.objects.exists()  # refused, nothing kept
    client.force_login(clerk)
    response = client.post(
        reverse("households:omission_decide", args=[h.pk]),
        {"decision": "dismissed", "reason": "已参加医保，材料未录入"},
    )
    assert response.status_code == 302
    review = OmissionReview.objects.get(household=h)
    assert (review.status, review.reason, review.year) == (
        OmissionDecision.DISMISSED,
        "已参加医保，材料未录入",
        review_year(),
    )
    h.refresh_from_db()
    assert h.status == HouseholdStatus.EXITED  # dismissed: nothing else changes
    assert h not in omission_candidates(actor=clerk)
    with pytest.raises(DomainError):  # decided for the year
        omission_review_decide(household=h, actor=clerk, decision=OmissionDecision.DISMISSED, reason="再次")


def test_the_api_decides_and_the_county_administrator_and_another_county_may_not(
    api_as, clerk, other_clerk, county_admin, world
):
    url = f"/api/v1/households/omissions/{world['removed'].pk}/decide/"
    assert (
        api_as(other_clerk).post(url, {"decision": "dismissed", "reason": "无"}, format="json").status_code
        == 404
    )
    assert (
        api_as(county_admin).post(url, {"decision": "dismissed", "reason": "无"}, format="json").status_code
        == 403
    )
    response = api_as(clerk).post(url, {"decision": "dismissed"}, format="json")
    assert (response.status_code, list(response.json()["errors"])) == (400, ["reason"])
    response = api_as(clerk).post(url, {"decision": "dismissed", "reason": "户口已迁出"}, format="json")
    assert response.status_code == 201
    assert response.json()["status"] == OmissionDecision.DISMISSED
