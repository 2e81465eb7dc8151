"""Build the test run's template database from the migrations, once (`make test`).

Migrating an empty database takes about two minutes of one core (Django renders the migration
state of some 200 related models after each operation), and pytest-xdist's workers each made
their own that way, side by side. `make test` runs this next to lint, check and audit instead, and
each worker copies the result (CREATE DATABASE … TEMPLATE, about a second): tests/conftest.py,
`django_db_modify_db_settings`, when FUPIN_TEST_TEMPLATE names it.

    DJANGO_SETTINGS_MODULE=config.settings.test python scripts/test_template_db.py NAME
"""

import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")


def main(name: str) -> None:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    started = time.monotonic()
    quoted = connection.ops.quote_name(name)
    with connection._nodb_cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS {quoted}")
        cursor.execute(f"CREATE DATABASE {quoted}")
    connection.close()
    connection.settings_dict["NAME"] = name
    # What Django's test database creation runs after CREATE DATABASE (django.db.backends.base.creation).
    call_command("migrate", verbosity=0, interactive=False, run_syncdb=True)
    call_command("createcachetable", verbosity=0)
    connection.close()
    print(f"[test] template database {name} migrated in {time.monotonic() - started:.0f} s")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(sys.argv[1])
