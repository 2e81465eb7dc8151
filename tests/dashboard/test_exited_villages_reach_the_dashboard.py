"""贫困村退出 on the leaders' overview (issue 18.4): a village whose exit procedure the county approved is
counted among the exited villages (and its year) once the figures are refreshed, and drills down to it."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from dashboard.services import figures_refresh
from households.models import InfrastructureItem, PoorVillage, PoorVillageStatus, Step, VillageExitStandard
from households.services.village_exits import village_exit_step_record, village_population_record
from tests.conftest import CITY

pytestmark = pytest.mark.django_db


def test_a_village_the_county_let_exit_is_an_exited_village_on_the_overview(
    client, clerk, leader, xiuwu_village
):
    year = timezone.localdate().year
    VillageExitStandard.objects.create(
        year=year, max_incidence=Decimal("2"), min_collective_income=Decimal("0")
    )
    pv = PoorVillage.objects.create(village=xiuwu_village, identified_year=2014)
    village_population_record(actor=clerk, village=xiuwu_village, year=year, registered_population=800)
    start = timezone.localdate() - dt.timedelta(days=12)
    pdf = {item: [SimpleUploadedFile(f"{item}.pdf", b"%PDF-1.4 x")] for item in InfrastructureItem.values}
    steps = [
        (Step.VERIFICATION, {"date": start, "year": year, "collective_income": "0"}),
        (Step.TOWNSHIP_REVIEW, {"date": start, "approved": True}),
        (
            Step.EXIT_NOTICE,
            {"date": start, "notice_start": start, "notice_end": start + dt.timedelta(days=6)},
        ),
        (Step.COUNTY_APPROVAL, {}),
    ]
    for step, data in steps:
        village_exit_step_record(
            poor_village=pv,
            step=step,
            actor=clerk,
            data=data,
            item_files=pdf if step == Step.VERIFICATION else None,
        )
    pv.refresh_from_db()
    assert pv.status == PoorVillageStatus.EXITED

    figures_refresh()
    client.force_login(leader)
    page = client.get(reverse("dashboard:region", args=[CITY]))
    assert page.context["k"]["exited_villages"] == 1
    rows = client.get(reverse("dashboard:rows", args=[CITY, "village_exits_year"]), {"key": str(year)})
    assert xiuwu_village.name in rows.content.decode()
