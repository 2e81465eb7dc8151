"""Zip-based uploads (xlsx, docx) are bounded before anything unpacks them: member count, member
size, total unpacked size and compression ratio, from the central directory (core.uploads.check_zip)."""

import io
import os
import zipfile

import pytest

from core.uploads import SPREADSHEETS, UploadRefused, in_memory, validate_upload

PARTS = {
    "[Content_Types].xml": b"<Types/>",
    "xl/workbook.xml": b"<workbook/>",
}


def workbook_zip(extra: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in {**PARTS, **extra}.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def refusal(data: bytes) -> str:
    with pytest.raises(UploadRefused) as refused:
        validate_upload(in_memory(data, "households.xlsx"), kinds=SPREADSHEETS, field="file")
    assert refused.value.field == "file"
    return refused.value.code


@pytest.fixture
def limits(settings):
    settings.UPLOAD_ZIP_LIMITS = {
        "members": 20,
        "member_bytes": 4 * 1024 * 1024,
        "total_bytes": 6 * 1024 * 1024,
        "ratio": 100,
    }
    return settings.UPLOAD_ZIP_LIMITS


def test_a_plain_workbook_passes(limits):
    sheet = b"".join(b'<row r="%d"><c><v>%d</v></c></row>' % (i, i * 7919 % 10007) for i in range(20000))
    assert (
        validate_upload(
            in_memory(workbook_zip({"xl/worksheets/sheet1.xml": sheet}), "a.xlsx"), kinds=SPREADSHEETS
        )
        == "xlsx"
    )


def test_a_zip_bomb_is_refused_by_its_ratio(limits):
    # 3 MB of zeros pack into a few KB: within every size bound, refused for its ratio.
    assert refusal(workbook_zip({"xl/worksheets/sheet1.xml": b"\0" * (3 * 1024 * 1024)})) == "zip_ratio"


def test_too_many_members_are_refused(limits):
    assert refusal(workbook_zip({f"xl/media/{i}.bin": b"x" for i in range(25)})) == "zip_members"


def test_a_member_unpacking_beyond_the_limit_is_refused(limits):
    assert (
        refusal(workbook_zip({"xl/worksheets/sheet1.xml": os.urandom(5 * 1024 * 1024)})) == "zip_member_size"
    )


def test_the_whole_unpacking_beyond_the_limit_is_refused(limits):
    members = {f"xl/worksheets/sheet{i}.xml": os.urandom(2 * 1024 * 1024) for i in range(4)}
    assert refusal(workbook_zip(members)) == "zip_total_size"


def test_the_default_bounds_refuse_a_classic_bomb():
    """With the shipped settings: 200 MB of zeros (about 200 KB packed)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in PARTS.items():
            archive.writestr(name, data)
        with archive.open("xl/worksheets/sheet1.xml", "w") as sheet:
            chunk = b"\0" * (1024 * 1024)
            for _ in range(200):
                sheet.write(chunk)
    assert refusal(buffer.getvalue()) == "zip_ratio"


def test_too_many_members_are_counted_before_the_directory_is_parsed(limits, monkeypatch):
    """A 20 MB zip of tiny members holds hundreds of thousands: refused from its end record,
    before zipfile builds an object for each."""
    data = workbook_zip({f"xl/media/{i}.bin": b"x" for i in range(25)})

    def not_parsed(*args, **kwargs):
        raise AssertionError("the central directory was parsed")

    monkeypatch.setattr("core.uploads.checks.zipfile.ZipFile", not_parsed)
    assert refusal(data) == "zip_members"
