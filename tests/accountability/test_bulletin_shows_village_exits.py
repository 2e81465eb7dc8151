"""一月一通报 shows 贫困村退出 (issue 18.4): by county, the villages still poor, exited, exited in the month
and with an exit in progress; the villages that exited in the month — on the page and in the .xlsx.
A bulletin generated before the section existed still renders."""

from io import BytesIO

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from accountability.models import Bulletin
from accountability.services.bulletin import bulletin_generate
from accountability.xlsx import bulletin_workbook
from core.models import Region
from households.models import PoorVillage
from households.services import poor_village_exit
from tests.conftest import CITY

pytestmark = pytest.mark.django_db


def test_the_monthly_bulletin_lists_the_villages_that_exited_in_the_month(
    client, clerk, leader, xiuwu_village
):
    month = timezone.localdate().replace(day=1)
    exited = PoorVillage.objects.create(village=xiuwu_village, identified_year=2014)
    still = (
        Region.objects.filter(parent=xiuwu_village.parent)
        .exclude(pk=xiuwu_village.pk)
        .order_by("code")
        .first()
    )
    PoorVillage.objects.create(village=still, identified_year=2014)
    poor_village_exit(poor_village=exited, actor=clerk, year=month.year, note="县级审定")

    bulletin, _created = bulletin_generate(region=Region.objects.get(code=CITY), month=month)
    section = bulletin.content["villages"]
    xiuwu = next(r for r in section["rows"] if r["code"] == "410821000000")
    assert (xiuwu["poor"], xiuwu["exited"], xiuwu["exited_year"], xiuwu["exited_month"]) == (1, 1, 1, 1)
    assert [v["village"] for v in section["exited"]] == [xiuwu_village.name]

    client.force_login(leader)
    page = client.get(reverse("accountability:bulletin_detail", args=[bulletin.pk])).content.decode()
    assert 'id="villages"' in page
    assert xiuwu_village.name in page
    book = load_workbook(BytesIO(bulletin_workbook(bulletin)))
    assert "贫困村" in book.sheetnames
    names = [c.value for row in book["本月退出贫困村"].iter_rows() for c in row]
    assert xiuwu_village.name in names

    old = Bulletin.objects.create(region_id=CITY, month=month.replace(year=month.year - 1), content={
        **{k: v for k, v in bulletin.content.items() if k != "villages"}})  # fmt: skip
    page = client.get(reverse("accountability:bulletin_detail", args=[old.pk]))
    assert page.status_code == 200
    assert 'id="villages"' not in page.content.decode()
