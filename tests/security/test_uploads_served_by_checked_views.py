"""Every stored file goes out only through a view that checked the user may see it, and then through
core.uploads.serve_upload: decrypted, its type from its bytes (never from its name), `nosniff`, a
sandboxing CSP, never cached by a proxy; images inline, PDFs and everything else as attachments."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from core.models import Region, Role, UnitKind
from core.uploads import protected_path
from tests.conftest import BOAI, XIUWU, make_user

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n"
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + b"\x00" * 200
HTML = b"<html><script>alert(document.cookie)</script></html>"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return Path(settings.MEDIA_ROOT)


def step_evidence(clerk):
    from households.services import household_register, procedure_step_record
    from tests.factories.households import first_village, household_data, member_data

    household = household_register(
        actor=clerk, village=first_village(), data=household_data(), members=[member_data()]
    )
    step = procedure_step_record(
        household=household, kind="entry", step="village_review", actor=clerk,
        data={"date": timezone.localdate(), "attendance": 40, "votes_for": 35, "votes_against": 2},
        files=[SimpleUploadedFile("会议记录.pdf", PDF)],
    )  # fmt: skip
    evidence = step.evidence.get()
    return reverse("households:step_evidence", args=[household.pk, evidence.pk]), evidence.file.name


def finding_photo(clerk):
    from inspections.services import finding_photo_add
    from tests.factories.inspections import FindingFactory, inspection_group, inspector_user

    inspector = inspector_user(inspection_group("送达"), username="inspector_serve")
    photo, _ = finding_photo_add(
        actor=inspector, finding=FindingFactory(), client_uuid="0b8e6a7c-1d2e-4f3a-9b4c-5d6e7f8a9b0c",
        upload=SimpleUploadedFile("现场.jpg", JPEG),
    )  # fmt: skip
    return reverse("inspections:photo", args=[photo.pk]), photo.file.name


def item_evidence(clerk):
    from inspections.services import rectification_item_create, rectification_item_submit
    from tests.factories.inspections import FindingFactory, county_office, inspection_group, inspector_user

    inspector = inspector_user(inspection_group("台账"), username="inspector_ledger")
    office = county_office(XIUWU)
    item = rectification_item_create(
        actor=inspector, finding=FindingFactory(responsible_unit=office), responsible_unit=office,
        deadline=timezone.localdate() + dt.timedelta(days=5), description="补齐档卡",
    )  # fmt: skip
    rectification_item_submit(
        actor=clerk, item=item, evidence_note="已补齐", files=[SimpleUploadedFile("整改报告.pdf", PDF)]
    )
    evidence = item.evidence_files.get()
    return reverse("inspections:evidence_file", args=[item.pk, evidence.pk]), evidence.file.name


def policy_evidence(clerk):
    from policies.services import policy_create, policy_task_add_evidence, policy_task_assign
    from tests.factories.core import UnitFactory

    admin = make_user(Role.ADMIN, "410800000000", username="admin_serve", is_superuser=True)
    policy = policy_create(
        system="1+16", number=1, title="转移就业脱贫实施方案", issued_on=dt.date(2016, 3, 1),
        region=Region.objects.get(code="410800000000"), actor=admin,
    )  # fmt: skip
    task = policy_task_assign(
        policy=policy, recipient=UnitFactory(region=Region.objects.get(code=XIUWU), kind=UnitKind.GOVERNMENT),
        requirement="出台配套办法", deadline=timezone.localdate() + dt.timedelta(days=5), actor=admin,
    )  # fmt: skip
    evidence = policy_task_add_evidence(
        task=task, actor=clerk, title="配套办法", upload=SimpleUploadedFile("办法.pdf", PDF)
    )
    return reverse("policies:evidence_file", args=[evidence.pk]), evidence.file.name


@pytest.mark.parametrize(
    ("make", "data", "content_type", "disposition"),
    [
        (step_evidence, PDF, "application/pdf", "attachment"),
        (finding_photo, JPEG, "image/jpeg", "inline"),
        (item_evidence, PDF, "application/pdf", "attachment"),
        (policy_evidence, PDF, "application/pdf", "attachment"),
    ],
    ids=["procedure evidence", "finding photo", "rectification evidence", "policy evidence"],
)
def test_stored_encrypted_served_decrypted_with_the_safe_headers(
    client, regions, make, data, content_type, disposition
):
    clerk = make_user(Role.COUNTY_CLERK, XIUWU, username="clerk_serve")
    url, stored = make(clerk)
    assert protected_path(stored).read_bytes().startswith(b"gAAAAA")  # encrypted at rest
    viewer = (
        clerk
        if make is not finding_photo
        else make_user(Role.ADMIN, "410800000000", username="admin_view", is_superuser=True)
    )
    client.force_login(viewer)
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == data
    assert response["Content-Type"] == content_type
    assert response["Content-Disposition"].startswith(disposition)
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]
    assert response["Cache-Control"] == "private, no-store"
    client.force_login(make_user(Role.COUNTY_CLERK, BOAI, username="clerk_boai_serve"))
    assert client.get(url).status_code == 404  # another county


def test_the_type_comes_from_the_bytes_not_the_name(client, regions, media):
    """A policy document stored before the checks, named .html and holding a script, was served as
    text/html (mimetypes guessed from the name): now it only downloads, as bytes of no known type."""
    clerk = make_user(Role.COUNTY_CLERK, XIUWU, username="clerk_legacy")
    url, _stored = policy_evidence(clerk)
    from policies.models import PolicyEvidence

    legacy = media / "policies" / "evidence" / "legacy.html"
    legacy.parent.mkdir(parents=True, exist_ok=True)
    legacy.write_bytes(HTML)
    PolicyEvidence.objects.update(file="policies/evidence/legacy.html")
    client.force_login(clerk)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"].startswith("attachment")
    assert "sandbox" in response["Content-Security-Policy"]
