"""Uploaded files: checked by content and size, stored outside the web root, served only after a
permission check.

    kind = validate_upload(upload, kinds=("jpg", "png", "pdf"))        # ValidationError naming the rule
    path = store_upload(upload, kinds=("xlsx",), folder="households/imports")
    return serve_upload(path, download_name="证据.jpg")                # in a view, after the scope check

A file's type is what its first bytes say (the extension must agree); the name and the
Content-Type the browser sent are never trusted. Files are saved under a random name in
MEDIA_ROOT, which no URL maps (MEDIA_URL is unset), so the only way out is a view that has
checked the user may see it and then calls `serve_upload`.
"""

from __future__ import annotations

import uuid
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from django.conf import settings
from django.core.exceptions import SuspiciousFileOperation, ValidationError
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404
from django.template.defaultfilters import filesizeformat
from django.utils.http import content_disposition_header
from django.utils.translation import gettext_lazy as _

MB = 1024 * 1024


@dataclass(frozen=True)
class Kind:
    name: str
    extensions: tuple[str, ...]
    content_type: str
    magic: tuple[bytes, ...]
    inline: bool  # may a browser show it in the page (images, PDF) rather than download it


KINDS: dict[str, Kind] = {
    "xlsx": Kind(
        "xlsx",
        (".xlsx",),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        (b"PK\x03\x04",),
        inline=False,
    ),
    "jpg": Kind("jpg", (".jpg", ".jpeg"), "image/jpeg", (b"\xff\xd8\xff",), inline=True),
    "png": Kind("png", (".png",), "image/png", (b"\x89PNG\r\n\x1a\n",), inline=True),
    "pdf": Kind("pdf", (".pdf",), "application/pdf", (b"%PDF-",), inline=True),
}
PHOTOS = ("jpg", "png")
EVIDENCE = ("jpg", "png", "pdf")
SPREADSHEETS = ("xlsx",)


def max_bytes(kind: str) -> int:
    """Size limit of a kind: settings.UPLOAD_MAX_BYTES[kind] (from UPLOAD_MAX_MB_<KIND>)."""
    return int(settings.UPLOAD_MAX_BYTES[kind])


def _head(upload, size: int = 16) -> bytes:
    upload.seek(0)
    head = upload.read(size)
    upload.seek(0)
    return head


def _is_real_xlsx(upload) -> bool:
    """A .xlsx is a zip holding a workbook; a renamed .docx or a zip bomb's first entry is not."""
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            names = set(archive.namelist())
            declared = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return False
    finally:
        upload.seek(0)
    # Refuse archives that unpack far beyond the limit (a zip bomb stops openpyxl, not us).
    return (
        "[Content_Types].xml" in names and "xl/workbook.xml" in names and declared <= 20 * max_bytes("xlsx")
    )


def detect_kind(upload, kinds: Iterable[str]) -> str | None:
    head = _head(upload)
    for name in kinds:
        kind = KINDS[name]
        if any(head.startswith(m) for m in kind.magic):
            if name == "xlsx" and not _is_real_xlsx(upload):
                continue
            return name
    return None


def _allowed_list(kinds: Iterable[str]) -> str:
    return ", ".join(ext for k in kinds for ext in KINDS[k].extensions)


def _refuse(field: str, message, code: str) -> ValidationError:
    return ValidationError({field: ValidationError(message, code=code)})


def validate_upload(upload, *, kinds: Iterable[str], field: str = "file") -> str:
    """Check an uploaded file; return its kind ("xlsx", "jpg", …) or raise ValidationError({field: …})."""
    kinds = tuple(kinds)
    unknown = set(kinds) - set(KINDS)
    if unknown:
        raise ValueError(f"unknown upload kinds {sorted(unknown)}")
    if upload is None:
        raise _refuse(field, _("Choose a file to upload."), "required")
    size = upload.size
    if not size:
        raise _refuse(field, _("The file is empty."), "empty")
    suffix = PurePosixPath(upload.name or "").suffix.lower()
    by_extension = [k for k in kinds if suffix in KINDS[k].extensions]
    if not by_extension:
        message = _("Files of this type are not accepted; use one of: %(types)s.") % {
            "types": _allowed_list(kinds)
        }
        raise _refuse(field, message, "extension")
    kind = detect_kind(upload, by_extension)
    if kind is None:
        raise _refuse(field, _("The file's content is not a %(ext)s file.") % {"ext": suffix}, "content")
    limit = max_bytes(kind)
    if size > limit:
        raise _refuse(field, _("The file is larger than %(size)s.") % {"size": filesizeformat(limit)}, "size")
    return kind


def store_upload(upload, *, kinds: Iterable[str], folder: str, field: str = "file") -> str:
    """Validate, then save under MEDIA_ROOT/<folder>/<random>.<ext>; returns the relative path to
    keep in the row (with the original name in another column if it is to be shown)."""
    kind = validate_upload(upload, kinds=kinds, field=field)
    folder = str(PurePosixPath(folder))
    if folder.startswith(("/", "..")) or ".." in PurePosixPath(folder).parts:
        raise SuspiciousFileOperation(f"upload folder {folder!r} leaves MEDIA_ROOT")
    name = f"{folder}/{uuid.uuid4().hex}{KINDS[kind].extensions[0]}"
    upload.seek(0)
    return default_storage.save(name, upload)


def protected_path(relative: str) -> Path:
    """The absolute path of a stored upload; refuses anything outside MEDIA_ROOT."""
    root = Path(settings.MEDIA_ROOT).resolve()
    path = (root / relative).resolve()
    if root not in path.parents:
        raise SuspiciousFileOperation(f"{relative!r} is outside MEDIA_ROOT")
    return path


def serve_upload(relative: str, *, download_name: str, as_attachment: bool | None = None) -> FileResponse:
    """Answer with a stored file. Call it only after checking the user may see it.

    The content type comes from the file's own bytes, never from what the uploader claimed;
    images and PDFs may show inline, everything else downloads; the answer is never cached by
    a shared proxy and cannot run scripts even if the browser were fooled."""
    try:
        path = protected_path(relative)
        handle = path.open("rb")
    except (FileNotFoundError, IsADirectoryError, SuspiciousFileOperation):
        raise Http404 from None
    kind_name = detect_kind(handle, KINDS) or ""
    kind = KINDS.get(kind_name)
    content_type = kind.content_type if kind else "application/octet-stream"
    attachment = (not (kind and kind.inline)) if as_attachment is None else as_attachment
    response = FileResponse(handle, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(attachment, download_name)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = (
        "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox"
    )
    return response


def in_memory(data: bytes, name: str):
    """An uploaded-file stand-in for tests and for files made by the app itself."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data)


__all__ = [
    "EVIDENCE",
    "KINDS",
    "PHOTOS",
    "SPREADSHEETS",
    "detect_kind",
    "in_memory",
    "max_bytes",
    "protected_path",
    "serve_upload",
    "store_upload",
    "validate_upload",
]
