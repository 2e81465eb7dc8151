"""逐项销号 is an independent check (issue 19.7): the inspector who submitted an item's evidence may
not close it; another inspector verifies and closes it."""

import io

import pytest
from django.urls import reverse

from core.exceptions import DomainError
from core.transitions import can_transition
from inspections import services
from inspections.models import ItemStatus, RectificationItem
from tests.factories.inspections import RectificationItemFactory, inspector_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def item(regions):
    return RectificationItemFactory()


@pytest.fixture
def second_inspector(group):
    return inspector_user(group, username="inspector_second")


def _pdf():
    f = io.BytesIO(b"%PDF-1.4\n%%EOF\n")
    f.name = "整改佐证.pdf"
    return f


def test_the_inspector_who_submitted_the_evidence_cannot_close_the_item(inspector, second_inspector, item):
    item = services.rectification_item_submit(actor=inspector, item=item, evidence_note="已整改，附照片")
    assert not can_transition(item, ItemStatus.CLOSED, inspector)
    assert can_transition(item, ItemStatus.CLOSED, second_inspector)
    with pytest.raises(DomainError) as exc:
        services.rectification_item_close(actor=inspector, item=item)
    assert exc.value.field == "status"
    assert "另一名督查人员" in str(exc.value.message)
    item.refresh_from_db()
    assert item.status == ItemStatus.SUBMITTED
    closed = services.rectification_item_close(actor=second_inspector, item=item, note="现场核实无误")
    assert (closed.status, closed.closed_by) == (ItemStatus.CLOSED, second_inspector)


def test_who_uploaded_evidence_files_cannot_close_either(clerk, inspector, second_inspector, item):
    """The county submits; an inspector who added evidence files to that submission is no verifier."""
    from inspections.models import RectificationEvidence

    item = services.rectification_item_submit(actor=clerk, item=item, evidence_note="已整改", files=[_pdf()])
    RectificationEvidence.objects.filter(item=item).update(uploaded_by=inspector)
    assert not can_transition(item, ItemStatus.CLOSED, inspector)
    with pytest.raises(DomainError):
        services.rectification_item_close(actor=inspector, item=item)
    services.rectification_item_close(actor=second_inspector, item=item)


def test_the_api_and_page_refuse_the_submitter_and_offer_no_close_button(
    client, api_as, inspector, second_inspector, item
):
    item = services.rectification_item_submit(actor=inspector, item=item, evidence_note="已整改")
    response = api_as(inspector).post(f"/api/v1/inspections/items/{item.pk}/close/", {}, format="json")
    assert response.status_code == 400
    assert "status" in response.json()["errors"]
    client.force_login(inspector)
    page = client.get(reverse("inspections:item_detail", args=[item.pk])).content.decode()
    assert 'value="close"' not in page
    assert RectificationItem.objects.get(pk=item.pk).status == ItemStatus.SUBMITTED
    assert (
        api_as(second_inspector)
        .post(f"/api/v1/inspections/items/{item.pk}/close/", {}, format="json")
        .status_code
        == 200
    )
