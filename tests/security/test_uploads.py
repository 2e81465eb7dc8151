"""Uploads are checked by content and size, kept encrypted outside the web root, served only on purpose."""

import io
import zipfile

import pytest
from django.core.exceptions import SuspiciousFileOperation
from django.http import Http404
from django.urls import Resolver404, resolve
from openpyxl import Workbook

from core.uploads import (
    DOCUMENTS,
    EVIDENCE,
    PHOTOS,
    SPREADSHEETS,
    UploadRefused,
    in_memory,
    protected_path,
    read_stored,
    serve_upload,
    store_upload,
    validate_upload,
)

JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 64
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
WEBP = b"RIFF\x24\x00\x00\x00WEBPVP8 " + b"\x00" * 64
PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n"
HTML = b"<html><script>alert(document.cookie)</script></html>"


def xlsx_bytes() -> bytes:
    book = Workbook()
    book.active.append(["户主", "身份证号"])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def zip_without_workbook() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
        archive.writestr("[Content_Types].xml", "<Types/>")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "data", "kinds", "kind"),
    [
        ("photo.jpg", JPEG, EVIDENCE, "jpg"),
        ("PHOTO.JPEG", JPEG, EVIDENCE, "jpg"),
        ("scan.png", PNG, EVIDENCE, "png"),
        ("receipt.pdf", PDF, EVIDENCE, "pdf"),
        ("households.xlsx", xlsx_bytes(), SPREADSHEETS, "xlsx"),
        ("site.webp", WEBP, PHOTOS, "webp"),
        ("answer.xlsx", xlsx_bytes(), DOCUMENTS, "xlsx"),
        ("answer.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64, DOCUMENTS, "doc"),
    ],
)
def test_accepted_files_are_recognised_by_their_content(name, data, kinds, kind):
    assert validate_upload(in_memory(data, name), kinds=kinds) == kind


@pytest.mark.parametrize(
    ("name", "data", "kinds", "code"),
    [
        ("page.html", HTML, EVIDENCE, "extension"),
        ("photo.svg", b"<svg onload=alert(1)>", EVIDENCE, "extension"),
        ("photo.jpg", HTML, EVIDENCE, "content"),  # HTML dressed as a photo
        ("photo.jpg", PNG, EVIDENCE, "content"),  # the extension must agree with the content
        ("receipt.pdf", JPEG, EVIDENCE, "content"),
        ("tool.exe", b"MZ\x90\x00", EVIDENCE, "extension"),
        ("households.xlsx", zip_without_workbook(), SPREADSHEETS, "content"),  # a renamed .docx
        ("households.xlsx", b"PK\x03\x04 not really a zip", SPREADSHEETS, "content"),
        ("households.xls", b"\xd0\xcf\x11\xe0", SPREADSHEETS, "extension"),
        ("empty.jpg", b"", EVIDENCE, "empty"),
        ("noname", JPEG, EVIDENCE, "extension"),
        ("site.webp", b"RIFF\x24\x00\x00\x00WAVEfmt ", PHOTOS, "content"),  # a RIFF that is no WebP
        ("answer.docx", xlsx_bytes(), DOCUMENTS, "content"),  # a workbook is not a .docx
    ],
)
def test_refused_files_name_the_field_and_the_rule(name, data, kinds, code):
    with pytest.raises(UploadRefused) as refused:
        validate_upload(in_memory(data, name), kinds=kinds, field="evidence")
    assert (refused.value.field, refused.value.code) == ("evidence", code)
    assert refused.value.as_dict() == {"evidence": [str(refused.value.message)]}


def test_size_limit_comes_from_settings(settings):
    settings.UPLOAD_MAX_BYTES = {**settings.UPLOAD_MAX_BYTES, "jpg": 1024}
    with pytest.raises(UploadRefused) as refused:
        validate_upload(in_memory(JPEG + b"\x00" * 2048, "big.jpg"), kinds=EVIDENCE)
    assert (refused.value.field, refused.value.code) == ("file", "size")
    assert validate_upload(in_memory(JPEG, "small.jpg"), kinds=EVIDENCE) == "jpg"


def test_refusal_is_in_the_users_language():
    from django.utils import translation

    with translation.override("zh-hans"), pytest.raises(UploadRefused) as refused:
        validate_upload(in_memory(HTML, "x.html"), kinds=EVIDENCE)
    assert "文件" in str(refused.value.message)


@pytest.fixture
def media(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"  # the storage follows the setting_changed signal
    return settings.MEDIA_ROOT


def test_stored_under_a_random_name_inside_media_root_and_encrypted(media):
    stored = store_upload(in_memory(JPEG, "../../etc/passwd.jpg"), kinds=EVIDENCE, folder="evidence/7")
    path = stored.path
    assert path.startswith("evidence/7/")
    assert path.endswith(".jpg")
    assert "passwd" not in path
    assert (stored.kind, stored.size, stored.content_type) == ("jpg", len(JPEG), "image/jpeg")
    on_disk = (media / path).read_bytes()
    assert on_disk.startswith(b"gAAAAA")  # a Fernet token (PII key)
    assert JPEG not in on_disk
    assert read_stored(path) == JPEG


@pytest.mark.parametrize("folder", ["../outside", "/etc", "evidence/../../x"])
def test_store_refuses_folders_outside_media_root(media, folder):
    with pytest.raises(SuspiciousFileOperation):
        store_upload(in_memory(JPEG, "a.jpg"), kinds=EVIDENCE, folder=folder)


def test_media_root_is_outside_the_web_root(settings):
    """No URL maps uploaded files: they go out only through a view that checked permission."""
    assert not settings.MEDIA_URL or settings.MEDIA_URL == "/"  # Django's default: unset
    assert settings.STATIC_ROOT.resolve() not in [
        settings.MEDIA_ROOT.resolve(),
        *settings.MEDIA_ROOT.resolve().parents,
    ]
    for folder in settings.STATICFILES_DIRS:
        folder = folder[1] if isinstance(folder, tuple) else folder
        assert folder.resolve() not in [settings.MEDIA_ROOT.resolve(), *settings.MEDIA_ROOT.resolve().parents]
    for url in ("/media/evidence/1.jpg", "/static/../media/evidence/1.jpg"):
        with pytest.raises(Resolver404):
            resolve(url)


def test_serving_uses_the_files_own_type_and_cannot_run_script(media):
    path = store_upload(in_memory(JPEG, "p.jpg"), kinds=EVIDENCE, folder="evidence").path
    response = serve_upload(path, download_name="现场照片.jpg")
    assert response["Content-Type"] == "image/jpeg"
    assert response["Content-Disposition"].startswith("inline")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]
    assert response["Cache-Control"] == "private, no-store"
    assert b"".join(response.streaming_content) == JPEG


def test_a_pdf_is_downloaded_not_shown(media):
    """Chromium's PDF viewer does not run in a CSP sandbox, and a PDF may carry script."""
    path = store_upload(in_memory(PDF, "r.pdf"), kinds=EVIDENCE, folder="evidence").path
    response = serve_upload(path, download_name="发票.pdf")
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment")
    assert b"".join(response.streaming_content) == PDF


def test_a_file_stored_before_encryption_is_still_served(media):
    (media / "legacy").mkdir(parents=True)
    (media / "legacy" / "old.png").write_bytes(PNG)
    assert read_stored("legacy/old.png") == PNG
    response = serve_upload("legacy/old.png", download_name="old.png")
    assert response["Content-Type"] == "image/png"
    assert b"".join(response.streaming_content) == PNG


def test_a_file_of_unknown_content_is_only_downloaded(media):
    (media / "legacy").mkdir(parents=True)
    (media / "legacy" / "old.jpg").write_bytes(HTML)  # stored before validation existed
    response = serve_upload("legacy/old.jpg", download_name="old.jpg")
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"].startswith("attachment")


@pytest.mark.parametrize("relative", ["../../../etc/passwd", "/etc/passwd", "evidence/missing.jpg"])
def test_serving_outside_media_root_or_missing_is_404(media, relative):
    with pytest.raises(Http404):
        serve_upload(relative, download_name="x")


def test_protected_path_refuses_escapes(media):
    with pytest.raises(SuspiciousFileOperation):
        protected_path("../secret")
