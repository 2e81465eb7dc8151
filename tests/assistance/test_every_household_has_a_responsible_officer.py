"""帮扶责任人 (issue 18.1) as the county clerk and the county administrator: the officer belongs to
the household, with dated history kept by the database whatever path changes it; a household
without one is on the work list; a leaving officer's households are handed on in one step; every
responsible officer gets an account in bulk, with a first password changed at first log-in."""

import datetime as dt
import io

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from openpyxl import load_workbook

from assistance import selectors, services
from assistance.models import OfficerAssignment
from core.exceptions import DomainError
from core.models import Role, User
from households.models import Household
from tests.conftest import BOAI, XIUWU
from tests.factories.core import OfficerFactory, UnitFactory
from tests.factories.households import HouseholdFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def countyadmin(persona):
    return persona(Role.COUNTY_ADMIN, XIUWU, username="countyadmin_xiuwu")


@pytest.fixture
def officers(xiuwu):
    unit = UnitFactory(region=xiuwu, name="修武县扶贫办")
    return [
        OfficerFactory(unit=unit, region=xiuwu, name=f"帮扶干部{i}", position="帮扶责任人") for i in range(4)
    ]


def test_the_clerk_sets_the_officer_on_the_plan_page_and_the_history_is_kept(
    client, clerk, household, officers
):
    client.force_login(clerk)
    first, second = officers[:2]
    for officer, reason in ((first, "建档时确定"), (second, "原责任人调岗")):
        response = client.post(
            reverse("assistance:household_officer", args=[household.pk]),
            {"officer": officer.pk, "reason": reason},
        )
        assert response.status_code == 302
    household.refresh_from_db()
    assert household.assistance_officer == second
    history = list(OfficerAssignment.objects.filter(household=household).order_by("id"))
    assert [(a.officer, a.ended_on is None, a.reason, a.assigned_by) for a in history] == [
        (first, False, "建档时确定", clerk),
        (second, True, "原责任人调岗", clerk),
    ]
    page = client.get(reverse("assistance:plan", args=[household.pk])).content.decode()
    assert "帮扶干部1" in page
    assert "原责任人调岗" in page
    assert "设定帮扶责任人" in page


def test_the_database_keeps_one_open_assignment_per_household(household, officers):
    OfficerAssignment.objects.create(household=household, officer=officers[0], started_on=dt.date(2017, 1, 1))
    with pytest.raises(IntegrityError), transaction.atomic():
        OfficerAssignment.objects.create(
            household=household, officer=officers[1], started_on=dt.date(2017, 2, 1)
        )


def test_any_path_that_changes_the_household_officer_writes_the_history(household, officers):
    """The register's forms, imports and COPY set the column; the trigger keeps the history."""
    Household.objects.filter(pk=household.pk).update(assistance_officer=officers[0])
    Household.objects.filter(pk=household.pk).update(assistance_officer=officers[1])
    Household.objects.filter(pk=household.pk).update(head_name="改名")  # not the officer: no new row
    rows = list(
        OfficerAssignment.objects.filter(household=household)
        .order_by("id")
        .values_list("officer_id", "ended_on")
    )
    assert [r[0] for r in rows] == [officers[0].pk, officers[1].pk]
    assert rows[0][1] is not None
    assert rows[1][1] is None
    made = HouseholdFactory(village=household.village, assistance_officer=officers[2])
    assert OfficerAssignment.objects.get(household=made).officer == officers[2]


def test_a_household_without_an_officer_is_on_the_work_list_and_the_api(
    client, api_as, clerk, household, officers
):
    with_one = HouseholdFactory(village=household.village, assistance_officer=officers[0])
    year = selectors.current_year()
    flagged = {h.pk for h in selectors.worklist(actor=clerk, year=year, region=XIUWU, flag="no_officer")}
    assert household.pk in flagged
    assert with_one.pk not in flagged
    client.force_login(clerk)
    page = client.get(reverse("assistance:worklist"), {"flag": "no_officer"}).content.decode()
    assert 'data-flag="no_officer"' in page
    assert household.head_name in page
    assert selectors.households_without_officer_count(actor=clerk, region=XIUWU) == 1
    body = api_as(clerk).get("/api/v1/assistance/household-officers/", {"without_officer": "1"}).json()
    assert [row["id"] for row in body["results"]] == [household.pk]


def test_the_county_administrator_hands_a_leaving_officers_households_on_in_one_step(
    client, countyadmin, officers, regions
):
    from core.models import Region

    leaving, a, b, _c = officers
    villages = list(Region.objects.filter(code__startswith="410821", level="village").order_by("code")[:3])
    households = [HouseholdFactory(village=villages[i % 3], assistance_officer=leaving) for i in range(9)]
    client.force_login(countyadmin)
    response = client.post(
        reverse("assistance:officer_reassign", args=[leaving.pk]),
        {"officers": [a.pk, b.pk], "mode": "village", "reason": "调离", "deactivate": "on"},
    )
    assert response.status_code == 302
    after = {
        h.pk: h.assistance_officer_id for h in Household.objects.filter(pk__in=[h.pk for h in households])
    }
    assert set(after.values()) == {a.pk, b.pk}  # nothing left without one, nothing to the leaver
    by_village = {}
    for h in households:
        by_village.setdefault(h.village_id, set()).add(after[h.pk])
    assert all(len(v) == 1 for v in by_village.values())  # a village's households together
    leaving.refresh_from_db()
    assert not leaving.is_active
    assert OfficerAssignment.objects.filter(officer=leaving, ended_on__isnull=True).count() == 0
    assert set(
        OfficerAssignment.objects.filter(ended_on__isnull=True, household__in=households).values_list(
            "reason", flat=True
        )
    ) == {"调离"}


def test_evenly_spread_and_refused_outside_the_county(countyadmin, officers, household, boai):
    leaving, a, b, c = officers
    for _ in range(5):
        HouseholdFactory(village=household.village, assistance_officer=leaving)
    result = services.officer_households_reassign(
        officer=leaving, officers=[a, b, c], actor=countyadmin, mode="even"
    )
    assert sorted(result.values()) == [1, 2, 2]
    stranger = OfficerFactory(unit=UnitFactory(region=boai), region=boai)
    HouseholdFactory(village=household.village, assistance_officer=a)
    with pytest.raises(DomainError) as refused:
        services.officer_households_reassign(officer=a, officers=[stranger], actor=countyadmin)
    assert refused.value.field == "officers"
    assert not Household.objects.filter(assistance_officer=stranger).exists()


def test_accounts_for_every_responsible_officer_in_bulk_with_a_first_password(
    client, countyadmin, officers, household
):
    for officer in officers[:3]:
        HouseholdFactory(village=household.village, assistance_officer=officer)
    client.force_login(countyadmin)
    response = client.post(reverse("assistance:officer_accounts"), {"region": XIUWU, "format": "xlsx"})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert sorted(r[0] for r in rows) == ["帮扶干部0", "帮扶干部1", "帮扶干部2"]
    name, _position, username, password = rows[0]
    user = User.objects.get(username=username)
    assert user.officer.name == name
    assert user.region_id == XIUWU
    assert user.must_change_password
    assert user.has_role(Role.ASSISTANCE_OFFICER)
    # Again: nobody is left without one, nothing is made twice.
    again = client.post(reverse("assistance:officer_accounts"), {"region": XIUWU})
    assert again.status_code == 200
    assert User.objects.filter(officer__in=officers).count() == 3
    # The officer logs in with the first password and must choose their own first.
    client.logout()
    client.post(reverse("login"), {"username": username, "password": password})
    assert client.get(reverse("assistance:visit_phone")).url == reverse("accounts:password_change")


def test_another_countys_officers_are_not_the_county_administrators(client, countyadmin):
    client.force_login(countyadmin)
    assert client.get(reverse("assistance:officer_list"), {"region": BOAI}).status_code == 404
    stranger = OfficerFactory(unit=UnitFactory(region_id=BOAI), region_id=BOAI)
    assert client.get(reverse("assistance:officer_reassign", args=[stranger.pk])).status_code == 404
