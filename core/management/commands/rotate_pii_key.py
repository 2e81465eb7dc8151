"""Move every stored piece of personal data to the PII key in use (the first of PII_KEYS).

    manage.py rotate_pii_key [--batch-size 1000] [--no-files]

Re-encrypts every encrypted column and re-keys every keyed hash, history event rows included
(each app lists its rotations in its AppConfig: `pii_rotations = ["households.pii_rotation.…"]`),
then re-encrypts every encrypted file under MEDIA_ROOT. It runs while the product is in use:
batches of rows are claimed with FOR UPDATE SKIP LOCKED and committed one by one, a file is
replaced atomically (readers see the old or the new token, both readable while both keys are
configured). Resumable and idempotent: what is already under the key in use is skipped, so a run
that was stopped is simply run again, and a second run reports nothing left to move. Run it once
more just before an old key is removed (SECURITY.md, "Operating it").
"""

from __future__ import annotations

import os
import time
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.module_loading import import_string

from core import pii
from core.uploads.storage import replace_file

# Every Fernet token starts so (version byte 0x80, then a timestamp): the files core.uploads
# encrypted. Anything else under MEDIA_ROOT is not ours to rewrite.
TOKEN_PREFIX = b"gAAAAA"


def rotate_files(root: Path, *, report) -> tuple[int, int, list[str]]:
    """Re-encrypt every encrypted file under `root` with the key in use.
    Returns (files moved, files already under it, files that could not be read)."""
    moved = current = 0
    retry: list[Path] = []
    if not root.is_dir():
        return moved, current, []
    paths = (
        Path(dirpath) / name
        for dirpath, _dirs, names in os.walk(root)
        for name in names
        if not name.startswith(".rotate-")
    )
    for attempt in range(2):
        retry = []
        for path in paths:
            outcome = _rotate_file(path)
            if outcome == "moved":
                moved += 1
                if moved % 100 == 0:
                    report(f"files: {moved} re-encrypted")
            elif outcome == "current":
                current += 1
            elif outcome == "unreadable":
                retry.append(path)
        if not retry:
            break
        if attempt == 0:
            time.sleep(2)  # a file being uploaded right now is complete in a moment
        paths = iter(retry)
    unreadable = [str(p.relative_to(root)) for p in retry]
    return moved, current, unreadable


def _rotate_file(path: Path) -> str:
    if path.is_symlink() or not path.is_file():
        return "other"
    try:
        with path.open("rb") as f:
            if f.read(len(TOKEN_PREFIX)) != TOKEN_PREFIX:
                return "other"
            token = TOKEN_PREFIX + f.read()
    except FileNotFoundError:  # deleted meanwhile (the retention job)
        return "other"
    try:
        rotated = pii.reencrypt(token)
    except ValueError:  # still being written, or under a key no longer configured
        return "unreadable"
    if rotated is None:
        return "current"
    replace_file(path, rotated)
    return "moved"


class Command(BaseCommand):
    help = (
        "Re-encrypt every stored ID number and file with the PII key in use and re-key the hashes "
        "(history rows included). Resumable; safe to run while the product is in use."
    )

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=1000, help="rows per transaction")
        parser.add_argument("--no-files", action="store_true", help="leave the files under MEDIA_ROOT")

    def handle(self, *args, batch_size: int, no_files: bool, **options):
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1.")
        version = pii.key_version()
        others = [v for v in pii.key_versions() if v != version]
        self.stdout.write(
            f"Key in use: version {version}; also configured: {', '.join(map(str, others)) or 'none'}."
        )
        for config in apps.get_app_configs():
            for path in getattr(config, "pii_rotations", []):
                try:
                    moved = import_string(path)(batch_size=batch_size, report=self._report)
                except ValueError as exc:  # a value no configured key opens: stop, say which
                    raise CommandError(f"{path}: {exc}") from exc
                self.stdout.write(f"{path}: {moved} moved to key version {version}.")
        if not no_files:
            moved, current, unreadable = rotate_files(Path(settings.MEDIA_ROOT), report=self._report)
            self.stdout.write(f"files: {moved} re-encrypted, {current} already under key version {version}.")
            if unreadable:
                listed = "\n  ".join(unreadable[:50])
                raise CommandError(
                    f"{len(unreadable)} encrypted files could not be read (still being written, or "
                    f"under a key that is no longer configured); run again:\n  {listed}"
                )
        self.stdout.write(self.style.SUCCESS(f"Everything stored is under key version {version}."))

    def _report(self, line: str) -> None:
        self.stdout.write(line)
        self.stdout.flush()
