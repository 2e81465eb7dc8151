"""Files stored before uploads were encrypted are encrypted in place by a command (issue 15.3)."""

import io
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command

from core.uploads import in_memory, protected_path, read_stored, store_upload
from households.models import HouseholdImport

pytestmark = pytest.mark.django_db

WORKBOOK = b"PK\x03\x04 a workbook with ID numbers 410821199001011234"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return Path(settings.MEDIA_ROOT)


def run() -> str:
    out = io.StringIO()
    call_command("encrypt_stored_files", stdout=out)
    return out.getvalue()


def test_plain_files_are_encrypted_in_place_once(clerk):
    legacy = HouseholdImport(file_name="old.xlsx", created_by=clerk, region_id=clerk.region_id)
    legacy.file.save("old.xlsx", ContentFile(WORKBOOK), save=False)
    legacy.error_report.save("errors.xlsx", ContentFile(WORKBOOK + b" report"), save=False)
    legacy.save()
    fresh = HouseholdImport(file_name="new.xlsx", created_by=clerk, region_id=clerk.region_id)
    fresh.file = store_upload(
        in_memory(b"%PDF-1.4 new", "new.pdf"), kinds=("pdf",), folder="households/imports"
    ).path
    fresh.save()
    before = protected_path(fresh.file.name).read_bytes()

    assert "households.HouseholdImport.file: 1 files encrypted" in run()
    for name, plain in ((legacy.file.name, WORKBOOK), (legacy.error_report.name, WORKBOOK + b" report")):
        on_disk = protected_path(name).read_bytes()
        assert on_disk.startswith(b"gAAAAA")
        assert b"410821199001011234" not in on_disk
        assert read_stored(name) == plain
    assert protected_path(fresh.file.name).read_bytes() == before  # encrypted already: untouched
    assert run().startswith("0 files encrypted")  # idempotent


def test_a_missing_file_is_skipped(clerk):
    HouseholdImport.objects.create(
        file="households/imports/gone.xlsx",
        file_name="gone.xlsx",
        created_by=clerk,
        region_id=clerk.region_id,
    )
    assert run().startswith("0 files encrypted")
