"""Every file that enters the product goes one way: validate → store → serve.

    kind = validate_upload(upload, kinds=SPREADSHEETS, field="file")   # UploadRefused(field, rule)
    stored = store_upload(upload, kinds=EVIDENCE, folder="households/evidence")  # validated, encrypted
    row.file = stored.path                                             # kind, size, original_name too
    data = read_stored(path)                                           # decrypted bytes (a worker)
    return serve_upload(path, download_name="证据.jpg")                # in a view, after the scope check

Validate: a file's type is what its bytes say (the extension must agree); the name and the
Content-Type the browser sent are never trusted. Each kind has a size limit (settings
UPLOAD_MAX_BYTES); zip-based files (xlsx, docx) are also bounded in member count, member size,
total unpacked size and compression ratio (settings UPLOAD_ZIP_LIMITS) before anything reads them
— zipfile never unpacks more than a member's declared size, so the declared sizes are real bounds.

Store: under MEDIA_ROOT with a random name, encrypted with the PII key (core.pii.encrypt_bytes:
stored files hold ID numbers, names, faces). No URL maps MEDIA_ROOT (MEDIA_URL is unset). Files
stored before encryption was added are still read: a Fernet token starts with b"gAAAAA", which no
accepted kind does.

Serve: only through a view that has checked the user may see the file, then `serve_upload`:
decrypted, the type from the bytes, `nosniff`, a sandboxing CSP, never cached by a proxy, and
only images shown inline (Chromium's PDF viewer does not run inside a CSP sandbox: PDFs download).

Routes: a view that accepts files names its file fields (`upload_fields = ("file",)`);
UploadRoutesMiddleware refuses a file sent to any other field or view, so a new upload route
cannot skip this module unnoticed (tests/security/test_every_upload_route.py walks the URL conf).
"""

from __future__ import annotations

import io
import os
import tempfile
import uuid
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from django.conf import settings
from django.core.exceptions import SuspiciousFileOperation
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpResponseBadRequest, JsonResponse
from django.shortcuts import render
from django.template import TemplateDoesNotExist
from django.template.defaultfilters import filesizeformat
from django.utils.html import escape
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core import pii
from core.exceptions import DomainError

MB = 1024 * 1024
ENCRYPTED_PREFIX = b"gAAAAA"  # every Fernet token (version byte 0x80, then a 64-bit timestamp)
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # the compound file of .doc / .xls


@dataclass(frozen=True)
class Kind:
    name: str
    extensions: tuple[str, ...]
    content_type: str
    magic: tuple[bytes, ...]
    inline: bool  # may a browser show it in the page (images) rather than download it
    parts: tuple[str, ...] = ()  # zip-based: members that must be there (what makes it this kind)


KINDS: dict[str, Kind] = {
    "jpg": Kind("jpg", (".jpg", ".jpeg"), "image/jpeg", (b"\xff\xd8\xff",), inline=True),
    "png": Kind("png", (".png",), "image/png", (b"\x89PNG\r\n\x1a\n",), inline=True),
    "webp": Kind("webp", (".webp",), "image/webp", (b"RIFF",), inline=True),
    "pdf": Kind("pdf", (".pdf",), "application/pdf", (b"%PDF-",), inline=False),
    "xlsx": Kind(
        "xlsx",
        (".xlsx",),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        (b"PK\x03\x04",),
        inline=False,
        parts=("[Content_Types].xml", "xl/workbook.xml"),
    ),
    "docx": Kind(
        "docx",
        (".docx",),
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        (b"PK\x03\x04",),
        inline=False,
        parts=("[Content_Types].xml", "word/document.xml"),
    ),
    "doc": Kind("doc", (".doc",), "application/msword", (OLE,), inline=False),
    "xls": Kind("xls", (".xls",), "application/vnd.ms-excel", (OLE,), inline=False),
}
# What each kind of upload accepts (one place, so a route's rule and its test agree).
PHOTOS = ("jpg", "png", "webp")
EVIDENCE = ("jpg", "png", "pdf")
DOCUMENTS = ("pdf", "jpg", "png", "docx", "xlsx", "doc", "xls")  # download only, except the images
SPREADSHEETS = ("xlsx",)


def max_bytes(kind: str) -> int:
    """Size limit of a kind: settings.UPLOAD_MAX_BYTES[kind] (from UPLOAD_MAX_MB_<KIND>)."""
    return int(settings.UPLOAD_MAX_BYTES[kind])


def _zip_limit(name: str) -> int:
    return int(settings.UPLOAD_ZIP_LIMITS[name])


def _head(upload, size: int = 16) -> bytes:
    upload.seek(0)
    head = upload.read(size)
    upload.seek(0)
    return head


class UploadRefused(DomainError):
    """A file broke a rule: `field` names the form field, `code` the rule ("extension", "content",
    "size", "zip_ratio", …). A DomainError, so pages show it beside the field and the API answers
    400 with {"errors": {field: [message]}}."""


def _refuse(field: str, message, code: str) -> UploadRefused:
    return UploadRefused(message, field=field, code=code)


def check_zip(upload, *, field: str = "file", size: int | None = None) -> set[str]:
    """Bounds of a zip-based file, from its central directory; returns its member names.

    Refuses (UploadRefused naming the field) more than UPLOAD_ZIP_LIMITS["members"] members,
    a member unpacking beyond ["member_bytes"], the whole beyond ["total_bytes"], or a
    compression ratio beyond ["ratio"] (for the whole file, and for any member larger than 1 MB
    unpacked: small XML parts compress well and are harmless)."""
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        raise _refuse(field, _("The file is not a readable zip-based document."), "content") from None
    finally:
        upload.seek(0)
    if len(infos) > _zip_limit("members"):
        raise _refuse(
            field,
            _("The file holds more than %(n)d parts; a genuine document holds far fewer.")
            % {"n": _zip_limit("members")},
            "zip_members",
        )
    member_limit, ratio = _zip_limit("member_bytes"), _zip_limit("ratio")
    total = 0
    for info in infos:
        if info.file_size > member_limit:
            raise _refuse(
                field,
                _("A part of the file unpacks to more than %(size)s.")
                % {"size": filesizeformat(member_limit)},
                "zip_member_size",
            )
        if info.file_size > MB and info.file_size > ratio * max(info.compress_size, 1):
            raise _refuse(
                field,
                _("The file is compressed more than %(ratio)d to 1 (a zip bomb?).") % {"ratio": ratio},
                "zip_ratio",
            )
        total += info.file_size
    if total > _zip_limit("total_bytes"):
        raise _refuse(
            field,
            _("The file unpacks to more than %(size)s.")
            % {"size": filesizeformat(_zip_limit("total_bytes"))},
            "zip_total_size",
        )
    size = _size(upload) if size is None else size
    if total > MB and total > ratio * max(size or 0, 1):
        raise _refuse(
            field,
            _("The file is compressed more than %(ratio)d to 1 (a zip bomb?).") % {"ratio": ratio},
            "zip_ratio",
        )
    return {info.filename for info in infos}


def _matches(kind: Kind, head: bytes, members: set[str] | None) -> bool:
    if not any(head.startswith(m) for m in kind.magic):
        return False
    if kind.name == "webp":
        return head[8:12] == b"WEBP"
    if kind.parts:
        return members is not None and all(part in members for part in kind.parts)
    return True


def detect_kind(upload, kinds: Iterable[str], *, field: str = "file") -> str | None:
    """The first of `kinds` the bytes are (zip-based kinds pass check_zip first)."""
    head = _head(upload)
    members = None
    for name in kinds:
        kind = KINDS[name]
        if kind.parts and members is None and head.startswith(b"PK\x03\x04"):
            members = check_zip(upload, field=field)
        if _matches(kind, head, members):
            return name
    return None


def _size(upload) -> int:
    size = getattr(upload, "size", None)
    if size is None:  # a plain file object (a service called by code, not a request)
        size = upload.seek(0, io.SEEK_END)
        upload.seek(0)
    return size


def _allowed_list(kinds: Iterable[str]) -> str:
    return ", ".join(ext for k in kinds for ext in KINDS[k].extensions)


def validate_upload(upload, *, kinds: Iterable[str], field: str = "file", max_size: int | None = None) -> str:
    """Check an uploaded file; return its kind ("xlsx", "jpg", …) or raise UploadRefused (field, rule).

    `max_size` lowers the kind's limit for one route (never raises it)."""
    kinds = tuple(kinds)
    unknown = set(kinds) - set(KINDS)
    if unknown:
        raise ValueError(f"unknown upload kinds {sorted(unknown)}")
    if upload is None:
        raise _refuse(field, _("Choose a file to upload."), "required")
    size = _size(upload)
    if not size:
        raise _refuse(field, _("The file is empty."), "empty")
    suffix = PurePosixPath(upload.name or "").suffix.lower()
    by_extension = [k for k in kinds if suffix in KINDS[k].extensions]
    if not by_extension:
        message = _("Files of this type are not accepted; use one of: %(types)s.") % {
            "types": _allowed_list(kinds)
        }
        raise _refuse(field, message, "extension")

    def limit_of(kind: str) -> int:
        return min(max_bytes(kind), max_size) if max_size else max_bytes(kind)

    # Before reading anything: the largest limit the extension allows.
    largest = max(limit_of(k) for k in by_extension)
    if size > largest:
        raise _refuse(
            field, _("The file is larger than %(size)s.") % {"size": filesizeformat(largest)}, "size"
        )
    kind = detect_kind(upload, by_extension, field=field)
    if kind is None:
        raise _refuse(field, _("The file's content is not a %(ext)s file.") % {"ext": suffix}, "content")
    if size > limit_of(kind):
        raise _refuse(
            field, _("The file is larger than %(size)s.") % {"size": filesizeformat(limit_of(kind))}, "size"
        )
    return kind


def _folder(folder: str) -> str:
    clean = str(PurePosixPath(folder))
    if clean.startswith(("/", "..")) or ".." in PurePosixPath(clean).parts:
        raise SuspiciousFileOperation(f"upload folder {folder!r} leaves MEDIA_ROOT")
    return clean


def store_bytes(data: bytes, *, kind: str, folder: str) -> str:
    """Save bytes the product made itself (an error report), encrypted, under a random name;
    returns the path relative to MEDIA_ROOT to keep in the row."""
    name = f"{_folder(folder)}/{uuid.uuid4().hex}{KINDS[kind].extensions[0]}"
    return default_storage.save(name, ContentFile(pii.encrypt_bytes(data)))


@dataclass(frozen=True)
class Stored:
    """A stored upload: `path` (relative to MEDIA_ROOT) goes in the row's FileField."""

    path: str
    kind: str
    size: int  # of the plain file
    original_name: str  # as the uploader named it: to show and to download as, never to store under

    @property
    def content_type(self) -> str:
        return KINDS[self.kind].content_type


def store_upload(
    upload, *, kinds: Iterable[str], folder: str, field: str = "file", max_size: int | None = None
) -> Stored:
    """Validate, then save encrypted under MEDIA_ROOT/<folder>/<random>.<ext>. Delete it
    (`delete_stored(stored.path)`) if the row that was to keep it is not saved."""
    kind = validate_upload(upload, kinds=kinds, field=field, max_size=max_size)
    upload.seek(0)
    data = upload.read()
    path = store_bytes(data, kind=kind, folder=folder)
    return Stored(
        path=path, kind=kind, size=len(data), original_name=PurePosixPath(upload.name or "file").name[:200]
    )


def protected_path(relative: str) -> Path:
    """The absolute path of a stored upload; refuses anything outside MEDIA_ROOT."""
    root = Path(settings.MEDIA_ROOT).resolve()
    path = (root / relative).resolve()
    if root not in path.parents:
        raise SuspiciousFileOperation(f"{relative!r} is outside MEDIA_ROOT")
    return path


def is_encrypted(data: bytes) -> bool:
    return data.startswith(ENCRYPTED_PREFIX)


def read_stored(relative: str) -> bytes:
    """The plain bytes of a stored file (decrypted; files stored before encryption as they are).
    FileNotFoundError if it is gone (deleted after its retention period)."""
    if not relative:
        raise FileNotFoundError("no file")
    try:
        data = protected_path(relative).read_bytes()
    except IsADirectoryError:
        raise FileNotFoundError(relative) from None
    return pii.decrypt_bytes(data) if is_encrypted(data) else data


def _replace(path: Path, data: bytes) -> None:
    """Write beside it, then rename over it: a reader never sees half a file."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".rewrite-")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, path.stat().st_mode & 0o777)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def encrypt_in_place(relative: str) -> bool:
    """Encrypt a file stored before encryption (manage.py encrypt_stored_files). True if it was
    plain and is now encrypted; False if it was encrypted already or is gone (idempotent)."""
    try:
        path = protected_path(relative)
        data = path.read_bytes()
    except (FileNotFoundError, IsADirectoryError):
        return False
    if is_encrypted(data):
        return False
    _replace(path, pii.encrypt_bytes(data))
    return True


def stored_file_fields() -> list[tuple[type, str]]:
    """(model, field name) of every FileField of the installed apps: the rows that name stored files."""
    from django.apps import apps
    from django.db import models

    return [
        (model, f.name)
        for model in apps.get_models()
        for f in model._meta.get_fields()
        if isinstance(f, models.FileField)
    ]


def delete_stored(relative: str) -> bool:
    """Remove a stored file; False if it was already gone (so a job deleting files can re-run)."""
    if not relative:
        return False
    try:
        protected_path(relative).unlink()
    except FileNotFoundError:
        return False
    return True


def kind_of_bytes(data: bytes, *, name: str = "") -> Kind | None:
    """The kind the bytes are, preferring those of the name's extension (a .doc and an .xls
    have the same bytes)."""
    suffix = PurePosixPath(name).suffix.lower()
    order = sorted(KINDS, key=lambda k: suffix not in KINDS[k].extensions)
    try:
        found = detect_kind(ContentFile(data, name=name or "file"), order)
    except UploadRefused:  # a zip over the bounds: download it, never show it
        return None
    return KINDS.get(found or "")


def serve_upload(relative: str, *, download_name: str, as_attachment: bool | None = None) -> FileResponse:
    """Answer with a stored file. Call it only after checking the user may see it.

    The content type comes from the file's own bytes, never from what the uploader claimed;
    images may show inline, everything else downloads; the answer is never cached by a shared
    proxy and cannot run scripts even if the browser were fooled."""
    try:
        data = read_stored(relative)
    except (FileNotFoundError, SuspiciousFileOperation):
        raise Http404 from None
    kind = kind_of_bytes(data, name=download_name)
    content_type = kind.content_type if kind else "application/octet-stream"
    attachment = (not (kind and kind.inline)) if as_attachment is None else as_attachment
    response = FileResponse(io.BytesIO(data), content_type=content_type)
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


# --- which routes accept files -----------------------------------------------------------------


def upload_fields_of(view_func) -> tuple[str, ...]:
    """The file fields a view declares (`upload_fields` on its class or function)."""
    owner = getattr(view_func, "view_class", None) or getattr(view_func, "cls", None) or view_func
    return tuple(getattr(owner, "upload_fields", ()) or ())


STRAY_FILE = gettext_lazy("%(field)s: this form accepts no file here.")


class UploadRoutesMiddleware:
    """Refuses a file sent to a view that did not declare that field in `upload_fields`: a page
    or endpoint cannot take files without going through this module (and its route test)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.method not in ("POST", "PUT", "PATCH") or request.content_type != "multipart/form-data":
            return None
        allowed = upload_fields_of(view_func)
        if request.method != "POST":
            if allowed:
                return None
            # Django parses multipart bodies of POST only; parse the others the same way so
            # DRF reads them from request.FILES (it does when the stream was consumed).
            request._post, request._files = request.parse_file_upload(request.META, request)
        stray = [name for name in request.FILES if name not in allowed]
        if not stray:
            return None
        message = str(STRAY_FILE % {"field": stray[0]})
        if request.path.startswith("/api/"):
            return JsonResponse(
                {"code": "invalid", "message": message, "errors": {stray[0]: [message]}}, status=400
            )
        try:
            return render(request, "400.html", {"message": message}, status=400)
        except TemplateDoesNotExist:
            return HttpResponseBadRequest(escape(message))


__all__ = [
    "DOCUMENTS",
    "EVIDENCE",
    "KINDS",
    "PHOTOS",
    "SPREADSHEETS",
    "Stored",
    "UploadRefused",
    "UploadRoutesMiddleware",
    "check_zip",
    "delete_stored",
    "detect_kind",
    "encrypt_in_place",
    "in_memory",
    "is_encrypted",
    "kind_of_bytes",
    "max_bytes",
    "protected_path",
    "read_stored",
    "serve_upload",
    "store_bytes",
    "store_upload",
    "stored_file_fields",
    "upload_fields_of",
    "validate_upload",
]
