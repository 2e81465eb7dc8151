"""Encrypt the files stored before core.uploads encrypted them (issue 15.3).

    manage.py encrypt_stored_files

Walks every FileField of the installed apps (core.uploads.stored_file_fields) and encrypts, in
place and atomically, each named file that is still plain. Idempotent: an encrypted file is
left alone, a missing one skipped, so it can run again at any time (and while the product is in
use: a file is replaced by a rename, never half-written). Reading never needed it — plain files
are told apart by their first bytes and served as they are — but until it runs they are not
encrypted at rest.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand

from core.uploads import encrypt_in_place, stored_file_fields


class Command(BaseCommand):
    help = "Encrypt, with the PII key, every stored upload still kept in plain (idempotent)."

    def handle(self, *args, **options):
        total = 0
        for model, name in stored_file_fields():
            paths = model._default_manager.exclude(**{name: ""}).values_list(name, flat=True)
            done = sum(encrypt_in_place(path) for path in paths.iterator() if path)
            if done:
                self.stdout.write(f"{model._meta.label}.{name}: {done} files encrypted")
            total += done
        self.stdout.write(f"{total} files encrypted; the others were encrypted already or are gone.")
