"""Stored files: saved encrypted under a random name, read decrypted, served after a permission check."""

from __future__ import annotations

import io
import os
import tempfile
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from django.conf import settings
from django.core.exceptions import SuspiciousFileOperation
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404
from django.utils.http import content_disposition_header

from core import pii

from .checks import KINDS, kind_of_bytes, validate_upload

ENCRYPTED_PREFIX = b"gAAAAA"  # every Fernet token (version byte 0x80, then a 64-bit timestamp)


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


def replace_file(path: Path, data: bytes) -> None:
    """Write beside it, then rename over it: a reader never sees half a file. A file deleted
    meanwhile (the retention job, a rejected upload) stays deleted."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".rewrite-")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, path.stat().st_mode & 0o777)
        os.replace(tmp, path)
    except FileNotFoundError:
        Path(tmp).unlink(missing_ok=True)
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
    replace_file(path, pii.encrypt_bytes(data))
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
