import importlib
import time

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import connection

from core.demo import login_help


def analyze(app: str) -> None:
    """Statistics for the tables an app's seed just filled, as PostgreSQL advises after a bulk load:
    the next apps' seeds and the dashboard's figures query them at once, before autovacuum would
    (and inside a test's transaction, never). Without them a figures query over the funds lines
    planned as a nested loop that ran for minutes."""
    tables = [m._meta.db_table for m in apps.get_app_config(app).get_models() if m._meta.managed]
    if tables:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE " + ", ".join(connection.ops.quote_name(t) for t in tables))


def seed_apps(stdout) -> None:
    """The demo data of every app with a `demo` module, in dependency order, each
    app's tables analysed after its seed. The command and the tests (tests/conftest.seed_demo) seed
    through it."""
    for app in settings.DOMAIN_APPS:
        try:
            module = importlib.import_module(f"{app}.demo")
        except ModuleNotFoundError as exc:
            if exc.name != f"{app}.demo":
                raise
            continue
        started = time.monotonic()
        module.seed(stdout=stdout)
        analyze(app)
        stdout.write(f"[{app}] demo data ready in {time.monotonic() - started:.1f}s")


class Command(BaseCommand):
    help = "Load the demo city 焦作市 (410800) and demo data of every app. Running it twice changes nothing."

    def handle(self, *args, **options):
        seed_apps(self.stdout)
        self.stdout.write(self.style.SUCCESS(login_help()))
