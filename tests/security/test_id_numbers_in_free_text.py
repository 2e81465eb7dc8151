"""Free text typed by staff or the public (a finding, a rectification, a note) is scanned for ID
numbers and masked, on pages, in API bodies and in exports, for roles that may not reveal them
(issue 15.9): an inspector's finding text used to show `户主身份证号410821…` in full."""

import io
import json

import pytest
from openpyxl import load_workbook

from core import pii
from households.models import Relation
from tests.factories.households import HouseholdFactory, MemberFactory, first_village, valid_id_number
from tests.factories.inspections import FindingFactory, RectificationItemFactory, inspector_user

NUMBER = valid_id_number(region6="410821")
TEXT = f"户主身份证号{NUMBER}，家中无人，邻居说已外出务工"


@pytest.fixture
def finding(regions):
    finding = FindingFactory(description=TEXT)
    item = RectificationItemFactory(finding=finding, description=f"核实{NUMBER}的收入", evidence_note=TEXT)
    return finding, item


def _xlsx_text(content: bytes) -> str:
    book = load_workbook(io.BytesIO(content), read_only=True)
    return "\n".join(
        str(v) for ws in book.worksheets for row in ws.iter_rows(values_only=True) for v in row if v
    )


def test_an_inspector_sees_a_finding_with_the_number_masked_on_the_page_and_in_the_api(
    client, api_client, finding
):
    finding, item = finding
    inspector = inspector_user()
    client.force_login(inspector)
    api_client.force_authenticate(inspector)
    bodies = {
        "finding page": client.get(f"/inspections/findings/{finding.pk}/"),
        "ledger item page": client.get(f"/inspections/ledger/{item.pk}/"),
        "finding API": api_client.get(f"/api/v1/inspections/findings/{finding.pk}/"),
        "finding list API": api_client.get("/api/v1/inspections/findings/"),
    }
    for name, response in bodies.items():
        assert response.status_code == 200, name
        body = (
            response.content.decode()
            if name.endswith("page")
            else json.dumps(response.json(), ensure_ascii=False)
        )
        assert NUMBER not in body, name
        assert pii.mask_id(NUMBER) in body, name


def test_the_rectification_ledger_export_masks_numbers_in_text(client, finding):
    inspector = inspector_user()
    client.force_login(inspector)
    response = client.get("/inspections/ledger/?format=xlsx")
    assert response.status_code == 200
    text = _xlsx_text(b"".join(response.streaming_content) if response.streaming else response.content)
    assert TEXT.replace(NUMBER, pii.mask_id(NUMBER)) in text
    assert NUMBER not in text


def test_a_leader_sees_an_address_with_a_number_masked_on_the_page_and_in_the_export(client, leader):
    household = HouseholdFactory(village=first_village("410821"), address=f"东村12号（户主{NUMBER}）")
    MemberFactory(household=household, relation=Relation.HEAD)
    client.force_login(leader)
    page = client.get(f"/households/{household.pk}/").content.decode()
    assert NUMBER not in page
    assert pii.mask_id(NUMBER) in page
    export = client.get("/households/export.xlsx")
    assert export.status_code == 200
    assert NUMBER not in _xlsx_text(export.content)


def test_a_role_that_may_reveal_reads_the_text_as_typed(client, clerk):
    household = HouseholdFactory(village=first_village("410821"), address=f"东村12号（户主{NUMBER}）")
    MemberFactory(household=household, relation=Relation.HEAD)
    client.force_login(clerk)
    assert NUMBER in client.get(f"/households/{household.pk}/").content.decode()


def test_the_public_board_masks_phone_and_id_numbers():
    assert pii.mask_public_text(f"联系人13812345678，{NUMBER}") == f"联系人138****5678，{pii.mask_id(NUMBER)}"
