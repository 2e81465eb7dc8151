"""A NUL byte or another control character in any value is refused with a 400 naming the field
(core.inputs, once for every route), and nothing is saved. Malformed filter values are ignored or
refused, never a 500. The walk over every route: test_bad_input_on_every_route.py."""

import pytest
from django.test import RequestFactory

from core.inputs import bad_input, query_filters
from funds.models import Fund
from tests.conftest import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def finance(regions):
    return make_user("finance_officer", "410821000000")


def new_fund(**fields):
    data = {
        "code": "F-NUL-1",
        "name": "扶贫资金",
        "source": "county",
        "fiscal_year": 2017,
        "region": "410821000000",
    }
    return {**data, **fields}


def test_a_nul_byte_in_a_fund_created_by_the_api_names_the_field_and_saves_nothing(api_as, finance):
    response = api_as(finance).post("/api/v1/funds/funds/", new_fund(name="扶贫\x00资金"), format="json")
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid"
    assert list(body["errors"]) == ["name"]
    assert "name" in body["message"]
    assert "控制字符" in body["message"]
    assert not Fund.objects.filter(code="F-NUL-1").exists()


def test_a_nul_byte_in_a_project_body_is_refused(api_as, finance):
    response = api_as(finance).post(
        "/api/v1/funds/projects/", {"name": "\x00", "county": "410821000000"}, format="json"
    )
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["name"]


def test_a_lone_surrogate_escaped_in_json_is_refused(api_as, finance):
    body = '{"code": "F-NUL-2", "name": "\\ud800", "source": "county", "fiscal_year": 2017}'
    response = api_as(finance).generic("POST", "/api/v1/funds/funds/", body, content_type="application/json")
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["name"]


def test_a_control_character_in_a_page_filter_is_a_400_page_naming_it(client, clerk):
    client.force_login(clerk)
    response = client.get("/households/", {"status": "registered\x00"})
    assert response.status_code == 400
    body = response.content.decode()
    assert "status：不能包含控制字符" in body
    form = client.post("/households/new/", {"address": "三组\x1b5号"})
    assert form.status_code == 400
    assert "address：不能包含控制字符" in form.content.decode()


def test_tab_newline_and_carriage_return_stay_allowed_in_free_text():
    factory = RequestFactory()
    ok = factory.post("/x/", '{"text": "第一行\\r\\n第二行\\t完"}', content_type="application/json")
    assert bad_input(ok) is None
    nested = factory.post("/x/", '{"members": [{"name": "a\\u0007"}]}', content_type="application/json")
    assert bad_input(nested)[0] == "members[0].name"
    assert bad_input(factory.get("/x/", {"q": "王\x85"}))[0] == "q"
    assert bad_input(factory.get("/x/\x00/"))[0] == "path"


def test_malformed_ids_in_list_filters_are_ignored():
    params = {"responsible_unit": "abc", "group": "99999999999999999999", "q": " 低保 ", "status": ""}
    assert query_filters(params, "q", "status", ids=("responsible_unit", "group")) == {"q": "低保"}
    assert query_filters({"group": "12"}, ids=("group",)) == {"group": "12"}


def test_lists_with_malformed_filters_answer_without_crashing(client, clerk):
    client.force_login(clerk)
    # An id that is not one is ignored: the list as without the filter.
    for url, params in [
        ("/inspections/", {"responsible_unit": "abc"}),
        ("/inspections/plans/", {"group": "abc"}),
        ("/inspections/ledger/", {"responsible_unit": "99999999999999999999"}),
    ]:
        assert client.get(url, params).status_code == 200, (url, params)
    # A village code that is none: not found, or the clerk's own rows (a longer code under their
    # county), never a crash.
    for village in ("abc", "4108210010019999", "-1", "410822001001"):
        assert client.get("/assistance/worklist/", {"village": village}).status_code in (200, 404), village
