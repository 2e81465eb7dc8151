"""The household list's "procedure in progress" filter (issue 21): households whose identification,
exit or return procedure is open — any, or one kind — kept in the URL (the POST search form sends it
back as a GET address, the export and the page links keep it), and the same on the API."""

import pytest
from django.urls import reverse

from households.models import CaseState, ProcedureCase, ProcedureKind
from tests.factories.households import household_with_members

pytestmark = pytest.mark.django_db


@pytest.fixture
def households(regions, clerk):
    def case(household, kind, state=CaseState.OPEN):
        ProcedureCase.objects.create(
            household=household,
            kind=kind,
            state=state,
            started_by=clerk,
            cause="illness" if kind == ProcedureKind.RETURN else "",
            stop_reason="异议成立" if state == CaseState.STOPPED else "",
        )

    entering = household_with_members(head_name="识别中户")
    case(entering, ProcedureKind.ENTRY)
    exiting = household_with_members(head_name="退出中户")
    case(exiting, ProcedureKind.ENTRY, CaseState.COMPLETED)
    case(exiting, ProcedureKind.EXIT)
    finished = household_with_members(head_name="已办结户")
    case(finished, ProcedureKind.EXIT, CaseState.STOPPED)
    idle = household_with_members(head_name="无程序户")
    return {"entering": entering, "exiting": exiting, "finished": finished, "idle": idle}


def _listed(client, **params) -> set[str]:
    response = client.get(reverse("households:list"), params)
    assert response.status_code == 200
    return {h.head_name for h in response.context["page"]}


def test_the_clerk_lists_households_with_a_procedure_in_progress(client, clerk, households):
    client.force_login(clerk)
    assert _listed(client) == {"识别中户", "退出中户", "已办结户", "无程序户"}
    assert _listed(client, procedure="any") == {"识别中户", "退出中户"}
    assert _listed(client, procedure="exit") == {"退出中户"}
    assert _listed(client, procedure="entry") == {"识别中户"}  # the exiting household's entry is completed
    assert _listed(client, procedure="return") == set()
    assert _listed(client, procedure="bogus") == {"识别中户", "退出中户", "已办结户", "无程序户"}


def test_the_choice_stays_in_the_url_the_form_and_the_export(client, clerk, households):
    client.force_login(clerk)
    # The search form posts; everything but a full ID number comes back as a GET address.
    response = client.post(reverse("households:list"), {"procedure": "exit", "status": ""})
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('households:list')}?procedure=exit"
    body = client.get(response["Location"]).content.decode()
    assert '<option value="exit" selected>' in body
    assert "在办程序" in body
    assert f"{reverse('households:export')}?procedure=exit" in body


def test_outside_the_readers_county_nothing_is_listed(client, other_clerk, households):
    client.force_login(other_clerk)
    assert _listed(client, procedure="any") == set()


def test_the_api_filters_alike_and_refuses_an_unknown_choice(api_as, clerk, households):
    api = api_as(clerk)
    body = api.get("/api/v1/households/", {"procedure": "any"}).json()
    assert {row["head_name"] for row in body["results"]} == {"识别中户", "退出中户"}
    assert api.get("/api/v1/households/", {"procedure": "bogus"}).status_code == 400
