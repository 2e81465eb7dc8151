"""三个零差错: the board, the monthly bulletin (page and workbook) show the same figures for the data
set built by hand in test_error_rates_by_hand (修武县 May 2017: 3/40, 2/9, 3/7; 博爱县 1/1)."""

import io

import pytest

from accountability.selectors import sixones
from accountability.services.bulletin import bulletin_generate
from core.models import Region, Role
from dashboard import board
from inspections import error_rates
from tests.conftest import CITY, XIUWU, make_user
from tests.sixones.conftest import MAY

pytestmark = pytest.mark.django_db


def test_board_and_bulletin_show_the_same_figures(world):
    leader = make_user(Role.LEADER, CITY, username="leader_rates")
    shown = board.targets_for(actor=leader, region_code=None, month=MAY)
    bulletin, _created = bulletin_generate(region=Region.objects.get(code=CITY), month=MAY)
    content = bulletin.content
    on_board = {
        (row["county"].code, kind): (row["rates"][kind].part, row["rates"][kind].whole)
        for row in shown["rows"] for kind in error_rates.KINDS
    }  # fmt: skip
    in_bulletin = {
        (row["code"], kind): (row["rates"][kind]["part"], row["rates"][kind]["whole"])
        for row in content["error_rates"]["rows"] for kind in error_rates.KINDS
    }  # fmt: skip
    assert on_board == in_bulletin
    assert on_board[(XIUWU, "identification")] == (3, 40)
    assert content["error_rates"]["totals"]["identification"]["part"] == 4  # 修武 3 + 博爱 1
    assert (
        sixones.as_json(sixones.board(prefix="4108", year=2017), shown)["targets"]["rows"]
        == (content["targets"]["rows"])
    )


def test_the_board_page_the_bulletin_page_and_its_workbook_print_the_same_rates(world, client):
    from openpyxl import load_workbook

    from accountability.xlsx import bulletin_workbook

    leader = make_user(Role.LEADER, CITY, username="leader_pages")
    client.force_login(leader)
    page = client.get("/dashboard/six-ones/?month=2017-05").content.decode()
    assert "7.5%" in page  # the board: 3 of 40
    assert "(3/40, n=40)" in page
    rows = client.get(f"/dashboard/six-ones/{XIUWU}/targets/identification/?month=2017-05").content.decode()
    for name in ("R1（", "R2（", "X1（"):
        assert name in rows
    assert "X2（" not in rows
    bulletin, _created = bulletin_generate(region=Region.objects.get(code=CITY), month=MAY)
    html = client.get(f"/accountability/bulletins/{bulletin.pk}/").content.decode()
    section = html[html.index('id="error-rates"') :]
    assert "7.50% <small>(3/40)</small>" in section
    assert "22.22% <small>(2/9)</small>" in section
    assert "42.86% <small>(3/7)</small>" in section
    book = load_workbook(io.BytesIO(bulletin_workbook(bulletin)))
    cells = {
        str(c.value) for ws in book.worksheets for row in ws.iter_rows() for c in row if c.value is not None
    }
    assert {"3/40", "2/9", "3/7"} <= cells
