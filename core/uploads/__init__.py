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

checks.py: the kinds and the rules; storage.py: store, read, serve; routes.py: the middleware.
"""

from .checks import (
    DOCUMENTS,
    EVIDENCE,
    KINDS,
    PHOTOS,
    SPREADSHEETS,
    TABLES,
    Kind,
    UploadRefused,
    check_zip,
    detect_kind,
    kind_of_bytes,
    max_bytes,
    validate_upload,
)
from .routes import UploadRoutesMiddleware, upload_fields_of
from .storage import (
    Stored,
    delete_stored,
    encrypt_in_place,
    in_memory,
    is_encrypted,
    protected_path,
    read_stored,
    serve_upload,
    store_bytes,
    store_upload,
    stored_file_fields,
)

__all__ = [
    "DOCUMENTS",
    "EVIDENCE",
    "KINDS",
    "PHOTOS",
    "SPREADSHEETS",
    "TABLES",
    "Kind",
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
