"""贫困村退出 (issue 18.4), as the county clerk on the pages and the county administrator through the
API: the village's registered population recorded for the year, the criteria verified (incidence
below the year's threshold, collective income, every infrastructure item with its evidence), the
township's review, a public notice of at least 7 days, the county's approval — the village then
exited on the village list; an objection during the notice stops it; another county's village 404."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from core.exceptions import DomainError, TransitionNotAllowed
from core.models import Role
from households.models import (
    CaseState,
    HouseholdStatus,
    InfrastructureItem,
    PoorVillage,
    PoorVillageStatus,
    Step,
    VillageExitCase,
    VillageExitEvidence,
    VillageExitStandard,
    VillagePopulation,
)
from households.services.village_exits import village_exit_step_record, village_population_record
from tests.conftest import XIUWU, make_user
from tests.factories.households import HouseholdFactory, MemberFactory, minutes_file

pytestmark = pytest.mark.django_db

YEAR = timezone.localdate().year


@pytest.fixture
def standard(regions):
    return VillageExitStandard.objects.create(
        year=YEAR, max_incidence=Decimal("2.00"), min_collective_income=Decimal("50000.00")
    )


@pytest.fixture
def poor_village(xiuwu_village):
    pv = PoorVillage.objects.create(village=xiuwu_village, identified_year=2014)
    for _ in range(3):  # 3 registered poor people; an exited household does not count
        MemberFactory(household=HouseholdFactory(village=xiuwu_village))
    MemberFactory(household=HouseholdFactory(village=xiuwu_village, status=HouseholdStatus.EXITED))
    return pv


@pytest.fixture
def county_admin(regions):
    return make_user(Role.COUNTY_ADMIN, XIUWU, username="countyadmin_xiuwu")


def items(**override):
    return {
        f"evidence_{item}": override.get(item, minutes_file(f"{item}.pdf"))
        for item in InfrastructureItem.values
    }


def test_county_clerk_runs_a_village_exit_to_the_end_on_the_pages(client, clerk, standard, poor_village):
    code = poor_village.village_id
    client.force_login(clerk)
    # Without the year's population the incidence cannot be computed: refused, nothing recorded.
    page = client.post(
        reverse("households:village_exit_step", args=[code, Step.VERIFICATION]),
        {"date": timezone.localdate().isoformat(), "year": YEAR, "collective_income": "60000", **items()},
    )
    assert page.status_code == 400
    assert "户籍人口" in page.content.decode()
    assert not VillageExitCase.objects.exists()

    # 3 poor people of 100: 3% is not below 2%.
    assert (
        client.post(
            reverse("households:village_population", args=[code]),
            {"year": YEAR, "registered_population": 100},
        ).status_code
        == 302
    )
    page = client.post(
        reverse("households:village_exit_step", args=[code, Step.VERIFICATION]),
        {"date": timezone.localdate().isoformat(), "year": YEAR, "collective_income": "60000", **items()},
    )
    assert page.status_code == 400
    assert "不低于" in page.content.decode() or "3.00%" in page.content.decode()

    # 3 of 200 = 1.5%; but a missing item's evidence and a low collective income are named.
    VillagePopulation.objects.filter(village_id=code, year=YEAR).update(registered_population=200)
    data = {"date": timezone.localdate().isoformat(), "year": YEAR, "collective_income": "1000", **items()}
    del data["evidence_clinic"]
    page = client.post(reverse("households:village_exit_step", args=[code, Step.VERIFICATION]), data)
    assert page.status_code == 400
    body = page.content.decode()
    assert "标准化卫生室" in body
    assert "50,000.00" in body
    assert not VillageExitCase.objects.exists()

    today = timezone.localdate()
    start = today - dt.timedelta(days=9)
    page = client.post(
        reverse("households:village_exit_step", args=[code, Step.VERIFICATION]),
        {"date": start.isoformat(), "year": YEAR, "collective_income": "60000.50", **items()},
    )
    assert page.status_code == 302, page.content.decode()[:2000]
    case = VillageExitCase.objects.get()
    verification = case.steps.get(step=Step.VERIFICATION)
    assert verification.data["incidence"] == "1.50"
    assert verification.data["poor_population"] == 3
    assert set(VillageExitEvidence.objects.filter(step=verification).values_list("item", flat=True)) == set(
        InfrastructureItem.values
    )

    # Steps in order only: the notice cannot come before the township's review.
    notice = {
        "date": start.isoformat(),
        "notice_start": start.isoformat(),
        "notice_end": (start + dt.timedelta(days=6)).isoformat(),
    }
    assert (
        client.post(
            reverse("households:village_exit_step", args=[code, Step.EXIT_NOTICE]), notice
        ).status_code
        == 400
    )
    assert (
        client.post(
            reverse("households:village_exit_step", args=[code, Step.TOWNSHIP_REVIEW]),
            {"date": start.isoformat(), "approved": "on"},
        ).status_code
        == 302
    )
    short = {**notice, "notice_end": (start + dt.timedelta(days=5)).isoformat()}
    page = client.post(reverse("households:village_exit_step", args=[code, Step.EXIT_NOTICE]), short)
    assert page.status_code == 400
    assert "至少" in page.content.decode()
    assert (
        client.post(
            reverse("households:village_exit_step", args=[code, Step.EXIT_NOTICE]), notice
        ).status_code
        == 302
    )

    # The village list shows the exit in its notice; the village's page the incidence and the evidence.
    listing = client.get(reverse("households:villages")).content.decode()
    assert poor_village.village.name in listing
    assert "公示" in listing
    detail = client.get(reverse("households:village_detail", args=[code])).content.decode()
    assert "1.50%" in detail
    assert "roads.pdf" not in detail
    assert "road.pdf" in detail
    evidence = VillageExitEvidence.objects.filter(item=InfrastructureItem.ROAD).get()
    served = client.get(reverse("households:village_exit_evidence", args=[code, evidence.pk]))
    assert served.status_code == 200

    assert (
        client.post(
            reverse("households:village_exit_step", args=[code, Step.COUNTY_APPROVAL]),
            {"date": today.isoformat()},
        ).status_code
        == 302
    )
    poor_village.refresh_from_db()
    case.refresh_from_db()
    assert case.state == CaseState.COMPLETED
    assert poor_village.status == PoorVillageStatus.EXITED
    assert poor_village.exit_year == YEAR
    exited = client.get(reverse("households:villages"), {"status": "exited"}).content.decode()
    assert poor_village.village.name in exited
    assert f'<td class="num">{YEAR}</td>' in exited
    still_poor = client.get(reverse("households:villages"), {"status": "poor"}).content.decode()
    assert poor_village.village.name not in still_poor


def test_an_objection_during_the_notice_stops_the_village_exit(clerk, standard, poor_village):
    village_population_record(actor=clerk, village=poor_village.village, year=YEAR, registered_population=300)
    start = timezone.localdate() - dt.timedelta(days=2)
    upload = {item: [minutes_file(f"{item}.pdf")] for item in InfrastructureItem.values}
    village_exit_step_record(
        poor_village=poor_village, step=Step.VERIFICATION, actor=clerk,
        data={"date": start, "year": YEAR, "collective_income": "80000"}, item_files=upload,
    )  # fmt: skip
    village_exit_step_record(
        poor_village=poor_village,
        step=Step.TOWNSHIP_REVIEW,
        actor=clerk,
        data={"date": start, "approved": True},
    )
    village_exit_step_record(
        poor_village=poor_village, step=Step.EXIT_NOTICE, actor=clerk,
        data={"date": start, "notice_start": start, "notice_end": start + dt.timedelta(days=6)},
    )  # fmt: skip
    # The county cannot approve while the notice runs.
    with pytest.raises(DomainError) as refused:
        village_exit_step_record(poor_village=poor_village, step=Step.COUNTY_APPROVAL, actor=clerk)
    assert "date" in refused.value.as_dict()
    village_exit_step_record(
        poor_village=poor_village, step=Step.OBJECTION, actor=clerk, data={"note": "村道还没修通"}
    )
    case = VillageExitCase.objects.get()
    assert case.state == CaseState.STOPPED
    assert "村道还没修通" in case.stop_reason
    poor_village.refresh_from_db()
    assert poor_village.status == PoorVillageStatus.POOR
    with pytest.raises(TransitionNotAllowed):
        village_exit_step_record(poor_village=poor_village, step=Step.TOWNSHIP_REVIEW, actor=clerk)


def test_county_administrator_runs_the_exit_through_the_api_and_another_county_is_not_found(
    api_as, county_admin, standard, poor_village, boai_village
):
    api = api_as(county_admin)
    code = poor_village.village_id
    answer = api.post(
        f"/api/v1/households/villages/{code}/population/",
        {"year": YEAR, "registered_population": 1},
        format="json",
    )
    assert answer.status_code == 400
    assert "registered_population" in answer.json()["errors"]
    answer = api.post(
        f"/api/v1/households/villages/{code}/population/",
        {"year": YEAR, "registered_population": 250},
        format="json",
    )
    assert answer.status_code == 201
    answer = api.post(
        f"/api/v1/households/villages/{code}/exit/",
        {"step": Step.VERIFICATION, "year": YEAR, "collective_income": "70000", **items()},
        format="multipart",
    )
    assert answer.status_code == 201, answer.content
    assert answer.json()["last_step"] == Step.VERIFICATION
    assert answer.json()["steps"][0]["data"]["incidence"] == "1.20"
    listing = api.get("/api/v1/households/villages/").json()
    assert [row["village_id"] for row in listing["results"]] == [code]
    assert listing["results"][0]["exit_state"] == CaseState.OPEN
    other = PoorVillage.objects.create(village=boai_village, identified_year=2014)
    assert api.get(f"/api/v1/households/villages/{other.village_id}/exit/").status_code == 404
    assert (
        api.post(
            f"/api/v1/households/villages/{other.village_id}/population/",
            {"year": YEAR, "registered_population": 250},
            format="json",
        ).status_code
        == 404
    )
