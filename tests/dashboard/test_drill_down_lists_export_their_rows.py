"""Every drill-down row list of the dashboard exports its rows to .xlsx (issue 21): exactly the rows
the list shows over all its pages — the same figure and key, the same scope — in the same order,
through the one workbook writer; outside the reader's region the export is 404 like the list."""

import pytest
from django.urls import reverse

from core import xlsx
from core.models import Role
from dashboard.services import figures_refresh

pytestmark = pytest.mark.django_db
XIUWU = "410821000000"


@pytest.fixture
def county_leader(persona):
    return persona(Role.LEADER, XIUWU)


def _list_rows(client, url: str, params: dict, cell) -> list:
    """Every row of the list, page after page, as `cell` reads it."""
    rows, page = [], 1
    while True:
        response = client.get(url, {**params, "per_page": 10, "page": page})
        assert response.status_code == 200
        rows += [cell(obj) for obj in response.context["page"]]
        if not response.context["page"].has_next():
            return rows
        page += 1


def _export(client, html: str) -> tuple[list, list[list]]:
    """Follow the list's own export link; the workbook's header and rows."""
    href = html.split('id="export" href="', 1)[1].split('"', 1)[0].replace("&amp;", "&")
    response = client.get(href)
    assert response.status_code == 200
    assert response["Content-Type"] == xlsx.XLSX_CONTENT_TYPE
    sheet = [values for _n, values in xlsx.read_sheet(b"".join(response.streaming_content))]
    return sheet[0], sheet[1:]


@pytest.mark.parametrize(
    ("metric", "key", "cell", "column"),
    [
        ("households", "registered", lambda h: h.file_number, 0),
        ("cause", "illness", lambda h: h.file_number, 0),
        ("people", "registered", lambda m: m.id_number_masked, 1),
        ("poor_villages", "poor", lambda v: v.village_id, 1),
    ],
)
def test_a_figures_rows_export_equals_the_list_over_all_its_pages(
    client, city_data, county_leader, metric, key, cell, column
):
    figures_refresh()
    client.force_login(county_leader)  # 修武县: the other county's rows are in neither
    url = reverse("dashboard:rows", args=[XIUWU, metric])
    listed = _list_rows(client, url, {"key": key}, cell)
    assert listed, "the fixture holds rows behind this figure"
    html = client.get(
        url, {"key": key, "per_page": 10, "page": 2 if len(listed) > 10 else 1}
    ).content.decode()
    _header, rows = _export(client, html)
    assert [str(r[column]) for r in rows] == [str(x) for x in listed]
    assert "导出 Excel" in html


def test_the_export_keeps_the_lists_scope(client, city_data, county_leader, leader):
    figures_refresh()
    client.force_login(county_leader)
    other = reverse("dashboard:rows_export", args=["410822000000", "households"])
    assert client.get(other, {"key": "registered"}).status_code == 404
    city = reverse("dashboard:rows_export", args=["410800000000", "households"])
    assert client.get(city, {"key": "registered"}).status_code == 404
    # The city leader's export of the city holds both counties' households; the county's, one county.
    client.force_login(leader)
    html = client.get(reverse("dashboard:rows", args=["410800000000", "households"]), {"key": "registered"})
    _header, rows = _export(client, html.content.decode())
    villages = {str(r[2]) for r in rows}
    html = client.get(reverse("dashboard:rows", args=[XIUWU, "households"]), {"key": "registered"})
    _header, county_rows = _export(client, html.content.decode())
    assert 0 < len(county_rows) < len(rows)
    assert {str(r[2]) for r in county_rows} < villages


def test_the_years_exited_households_export_equals_their_list(client, city_data, leader, admin_user):
    import datetime as dt

    from households.models import CaseState, Household, ProcedureCase, ProcedureCaseStatusChange

    at = dt.datetime(2016, 6, 1, 10, tzinfo=dt.UTC)
    for n, household in enumerate(
        Household.objects.filter(status="exited", village__code__startswith="410821")
    ):
        case = ProcedureCase.objects.create(
            household=household, kind="exit", state=CaseState.COMPLETED, started_by=admin_user
        )
        ProcedureCaseStatusChange.objects.create(
            case=case,
            from_status="open",
            to_status="completed",
            actor=admin_user,
            at=at + dt.timedelta(days=n),
        )
    client.force_login(leader)
    url = reverse("dashboard:target_rows", args=[XIUWU, "households"])
    listed = _list_rows(client, url, {"year": 2016}, lambda h: h.file_number)
    assert listed, "the fixture holds households exited in 2016"
    html = client.get(url, {"year": 2016}).content.decode()
    _header, rows = _export(client, html)
    assert [r[0] for r in rows] == listed


def test_a_six_ones_lines_rows_export_equals_its_list(client, city_data, leader):
    from accountability.selectors import sixones

    client.force_login(leader)
    exported = 0
    for line in sixones.LINES:
        url = reverse("dashboard:board_rows", args=[XIUWU, line.code])
        response = client.get(url, {"year": 2016, "per_page": 200})
        assert response.status_code == 200
        shown = [[str(c) for c in cells] for _obj, cells in response.context["rows"]]
        _header, rows = _export(client, response.content.decode())
        assert [[str(c) for c in r[: len(r) - 1]] for r in rows] == shown, line.code
        exported += len(rows)
    assert exported, "the fixture holds rows behind some line"


def test_a_six_ones_targets_rows_export_equals_its_list(client, city_data, leader, county_leader):
    from accountability.selectors import sixones

    client.force_login(leader)
    for target, _label, _better in sixones.TARGETS:
        url = reverse("dashboard:board_target_rows", args=[XIUWU, target])
        response = client.get(url, {"month": "2016-06"})
        assert response.status_code == 200
        d = response.context["d"]
        shown = d["errors"] if d["kind"] == "errors" else d["surveys"]
        _header, rows = _export(client, response.content.decode())
        assert len(rows) == len(shown), target
    client.force_login(county_leader)
    other = reverse("dashboard:board_target_rows_export", args=["410822000000", sixones.TARGETS[0][0]])
    assert client.get(other).status_code == 404
