import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone


@pytest.fixture(autouse=True)
def _roles_synced(db):
    """Role permissions come from AppConfig.role_permissions; re-sync so a reused test DB has them."""
    from core.roles import sync_roles
    from tests.factories.households import ensure_poverty_lines

    sync_roles()
    ensure_poverty_lines()


@pytest.fixture
def minutes():
    def make(name: str = "minutes.pdf"):
        return SimpleUploadedFile(
            name, b"%PDF-1.4 minutes of the democratic review", content_type="application/pdf"
        )

    return make


@pytest.fixture
def days_ago():
    def at(n: int) -> dt.date:
        return timezone.localdate() - dt.timedelta(days=n)

    return at


def db_snapshot():
    """Row counts and the latest update of every households table: equal snapshots = nothing changed."""
    from django.apps import apps
    from django.db.models import Max

    snap = {}
    for model in apps.get_app_config("households").get_models():
        qs = model.objects.all()
        snap[model.__name__] = (qs.count(), qs.aggregate(m=Max("pk"))["m"])
        if any(f.name == "updated_at" for f in model._meta.fields):
            snap[model.__name__ + ".updated"] = qs.aggregate(m=Max("updated_at"))["m"]
    from core.models import SensitiveAccess

    snap["SensitiveAccess"] = SensitiveAccess.objects.count()
    return snap
