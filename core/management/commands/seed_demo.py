import importlib
import time

from django.conf import settings
from django.core.management.base import BaseCommand

from core.demo import login_help


class Command(BaseCommand):
    help = "Load the demo city 焦作市 (410800) and demo data of every app. Running it twice changes nothing."

    def handle(self, *args, **options):
        for app in settings.DOMAIN_APPS:
            try:
                module = importlib.import_module(f"{app}.demo")
            except ModuleNotFoundError as exc:
                if exc.name != f"{app}.demo":
                    raise
                continue
            started = time.monotonic()
            module.seed(stdout=self.stdout)
            self.stdout.write(f"[{app}] demo data ready in {time.monotonic() - started:.1f}s")
        self.stdout.write(self.style.SUCCESS(login_help()))
