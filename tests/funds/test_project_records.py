"""Projects keep investment review, procurement and tender records; the rules refuse bad ones."""

from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from core.exceptions import DomainError
from core.models import Region
from funds import services
from funds.models import Project
from tests.factories.funds import ProjectFactory

pytestmark = pytest.mark.django_db


def _data(**overrides):
    county = Region.objects.get(code="410821000000")
    village = Region.objects.filter(code__startswith="410821", level="village").order_by("code").first()
    data = {
        "code": "XW-T-1", "name": "村组道路硬化", "kind": "infrastructure", "county": county, "village": village,
        "budget": Decimal("800000.00"), "review_agency": "修武县财政投资评审中心",
        "review_approved_amount": Decimal("760000.00"), "procurement_method": "open_tender",
        "bidders": ["甲公司", "乙公司", "丙公司"], "winner": "乙公司", "contract_amount": Decimal("750000.00"),
    }  # fmt: skip
    data.update(overrides)
    return data


def test_a_complete_project_is_saved_with_its_region(finance):
    project = services.project_create(actor=finance, data=_data())
    assert project.region_id == project.village_id
    assert project.bidders == ["甲公司", "乙公司", "丙公司"]


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"bidders": ["甲公司", "乙公司"]}, "bidders"),  # a tender needs three bidders
        ({"winner": "丁公司"}, "winner"),  # the winner bid
        ({"contract_amount": Decimal("760000.01")}, "contract_amount"),  # above the review's approval
        ({"review_agency": ""}, "review_agency"),
        ({"procurement_method": ""}, "procurement_method"),
        ({"budget": Decimal("12.345")}, "budget"),
    ],
)
def test_bad_records_are_refused_naming_the_field(finance, overrides, field):
    with pytest.raises(DomainError) as err:
        services.project_create(actor=finance, data=_data(**overrides))
    assert err.value.field == field
    assert not Project.objects.exists()


def test_single_source_needs_no_three_bidders(finance):
    project = services.project_create(
        actor=finance, data=_data(procurement_method="single_source", bidders=["甲公司"], winner="甲公司")
    )
    assert project.pk


def test_village_must_lie_in_the_county(finance):
    other = Region.objects.filter(code__startswith="410822", level="village").first()
    with pytest.raises(DomainError) as err:
        services.project_create(actor=finance, data=_data(village=other))
    assert err.value.field == "village"


def test_other_county_cannot_create_here(boai_finance):
    from django.http import Http404

    with pytest.raises(Http404):
        services.project_create(actor=boai_finance, data=_data())


def test_database_constraints_refuse_bad_projects(regions):
    project = ProjectFactory()
    for update, name in [
        ({"budget": 0}, "project_budget_positive"),
        ({"contract_amount": -1}, "project_contract_amount_positive"),
        ({"winner": ""}, "project_contract_has_winner"),
    ]:
        with pytest.raises(IntegrityError, match=name), transaction.atomic():
            Project.objects.filter(pk=project.pk).update(**update)


def test_project_edit_page_saves_through_the_service(client, finance, regions):
    project = ProjectFactory()
    client.force_login(finance)
    form = client.get(reverse("funds:project_edit", args=[project.pk])).context["form"]
    data = {k: v for k, v in form.initial.items() if v is not None}
    data.update({"county": project.county_id, "village": project.village_id, "contract_amount": "999999.00"})
    response = client.post(reverse("funds:project_edit", args=[project.pk]), data)
    assert response.status_code == 400  # above the approved amount: refused beside the field
    assert response.context["form"].errors["contract_amount"]
    data["contract_amount"] = "460000.00"
    assert client.post(reverse("funds:project_edit", args=[project.pk]), data).status_code == 302
    project.refresh_from_db()
    assert project.contract_amount == Decimal("460000.00")


def test_list_pages_have_pinned_query_counts(
    client, finance, finance2, funded_project, django_assert_max_num_queries
):
    for i in range(6):
        ProjectFactory()
        services.disbursement_request_create(
            actor=finance, idempotency_key=f"q-{i}", from_account=funded_project, amount="10.00", purpose="x",
            payee_kind="organisation", payee_name=f"单位{i}",
        )  # fmt: skip
    client.force_login(finance)
    with django_assert_max_num_queries(14):
        assert client.get(reverse("funds:project_list")).status_code == 200
    with django_assert_max_num_queries(14):
        assert client.get(reverse("funds:request_list")).status_code == 200
