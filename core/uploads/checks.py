"""What a file is and whether it may come in: the kinds, their size limits, the zip bounds."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import PurePosixPath

from django.conf import settings
from django.core.files.base import ContentFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from core.exceptions import DomainError
from core.xlsx.csvreader import SAMPLE_BYTES, looks_like_csv

MB = 1024 * 1024
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
    # No magic bytes: text in UTF-8 or GBK (core.xlsx.looks_like_csv on the first 64 KB).
    "csv": Kind("csv", (".csv",), "text/csv", (b"",), inline=False),
}
# What each kind of upload accepts (one place, so a route's rule and its test agree).
PHOTOS = ("jpg", "png", "webp")
EVIDENCE = ("jpg", "png", "pdf")
DOCUMENTS = ("pdf", "jpg", "png", "docx", "xlsx", "doc", "xls")  # download only, except the images
SPREADSHEETS = ("xlsx",)
TABLES = ("xlsx", "csv")  # lists of rows: a workbook or a CSV file (core.xlsx reads both)


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


def _declared_members(upload, size: int) -> int:
    """Members counted by the zip's end-of-central-directory record (0 if not found or zip64:
    zipfile's own parse counts those)."""
    tail_size = min(size, 22 + 0xFFFF)  # the record, and a comment of at most 64 KB after it
    upload.seek(size - tail_size)
    tail = upload.read(tail_size)
    upload.seek(0)
    at = tail.rfind(b"PK\x05\x06")
    if at < 0 or at + 22 > len(tail):
        return 0
    count = int.from_bytes(tail[at + 10 : at + 12], "little")
    return 0 if count == 0xFFFF else count


def check_zip(upload, *, field: str = "file", size: int | None = None) -> set[str]:
    """Bounds of a zip-based file, from its central directory; returns its member names.

    Refuses (UploadRefused naming the field) more than UPLOAD_ZIP_LIMITS["members"] members,
    a member unpacking beyond ["member_bytes"], the whole beyond ["total_bytes"], or a
    compression ratio beyond ["ratio"] (for the whole file, and for any member larger than 1 MB
    unpacked: small XML parts compress well and are harmless)."""
    too_many = _refuse(
        field,
        _("The file holds more than %(n)d parts; a genuine document holds far fewer.")
        % {"n": _zip_limit("members")},
        "zip_members",
    )
    # The count the end record declares, before zipfile builds an object per member.
    if _declared_members(upload, _size(upload) if size is None else size) > _zip_limit("members"):
        raise too_many
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        raise _refuse(field, _("The file is not a readable zip-based document."), "content") from None
    finally:
        upload.seek(0)
    if len(infos) > _zip_limit("members"):
        raise too_many
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


def _matches(kind: Kind, head: bytes, members: set[str] | None, text: bytes | None = None) -> bool:
    if not any(head.startswith(m) for m in kind.magic):
        return False
    if kind.name == "webp":
        return head[8:12] == b"WEBP"
    if kind.name == "csv":
        return text is not None and looks_like_csv(text)
    if kind.parts:
        return members is not None and all(part in members for part in kind.parts)
    return True


def detect_kind(upload, kinds: Iterable[str], *, field: str = "file") -> str | None:
    """The first of `kinds` the bytes are (zip-based kinds pass check_zip first)."""
    head = _head(upload)
    members = text = None
    for name in kinds:
        kind = KINDS[name]
        if kind.parts and members is None and head.startswith(b"PK\x03\x04"):
            members = check_zip(upload, field=field)
        if name == "csv" and text is None:
            text = _head(upload, SAMPLE_BYTES)
        if _matches(kind, head, members, text):
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
        if suffix == ".xls" and "xlsx" in kinds:  # the old Excel format, still what many offices keep
            message = _(
                "An .xls workbook (Excel 97–2003) is not read: open it in Excel, WPS or LibreOffice and "
                "save it as an Excel workbook (.xlsx), then upload that."
            )
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
