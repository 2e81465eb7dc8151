"""Personas and shared fixtures.

The demo city's regions (焦作市 with its 11 counties and 112 townships, synthetic villages)
are loaded once per test database; personas are users of 修武县 (410821) and 博爱县 (410822).
"""

import os

import pytest

from core.models import Region, Role
from tests.demo_db import demo_database  # noqa: F401 - the run's demo, copied per module
from tests.factories.core import OfficerFactory, UnitFactory, UserFactory
from tests.security.log_guard import (  # noqa: F401 - no ID numbers in logs
    pytest_sessionfinish,
    pytest_sessionstart,
    pytest_testnodedown,
)

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CITY = "410800000000"
XIUWU = "410821000000"
BOAI = "410822000000"


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix, django_db_blocker):
    """With FUPIN_TEST_TEMPLATE (`make test`: scripts/test_template_db.py made it from the
    migrations while lint ran), this process's test database is a fresh copy of that template, and
    pytest-django (--reuse-db) finds it migrated instead of migrating one of its own."""
    template = os.environ.get("FUPIN_TEST_TEMPLATE")
    if not template:
        return
    from django.conf import settings
    from django.db import connection

    name = settings.DATABASES["default"]["TEST"]["NAME"]
    quote = connection.ops.quote_name
    with django_db_blocker.unblock(), connection._nodb_cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS {quote(name)}")
        cursor.execute(f"CREATE DATABASE {quote(name)} TEMPLATE {quote(template)}")


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    from core.regions_data import load_regions

    with django_db_blocker.unblock():
        if not Region.objects.filter(code=CITY).exists():
            load_regions(prefix="4108")


def rolled_back_after_scope(django_db_blocker, make):
    """For a module- or class-scoped generator fixture (`yield from rolled_back_after_scope(...)`):
    `make()` builds data once, in a transaction kept open while the scope's tests run and rolled
    back after the last one. Each test still runs in its own savepoint (pytest-django's `db`),
    rolled back when it ends, so what a test writes never reaches the next. Not for transactional
    tests (they commit and flush)."""
    from django.db import transaction

    from core.regions_data import load_regions

    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            if not Region.objects.filter(code=CITY).exists():  # a transactional test flushed them
                load_regions(prefix="4108")
            made = make()
        except BaseException:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
            raise
    try:
        yield made
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


def seed_demo(*, score_months: int = 1) -> None:
    """The demo data of every app, in dependency order, each app's tables analysed
    after its seed as `seed_demo` does: inside a test's transaction autovacuum never runs, and the
    next app's seed (the bulletin's targets) planned as nested loops that ran for minutes on tables
    without statistics. `score_months`: `make run` scores three months; one is enough here."""
    import io

    from accountability import demo as accountability_demo
    from core.management.commands.seed_demo import seed_apps

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(accountability_demo, "SCORE_MONTHS", score_months)
        seed_apps(io.StringIO())


@pytest.fixture
def regions(db):
    """The demo city's regions. Transactional tests flush tables, so check every time."""
    from core.regions_data import load_regions

    if not Region.objects.filter(code=CITY).exists():
        load_regions(prefix="4108")


@pytest.fixture
def xiuwu(regions):
    return Region.objects.get(code=XIUWU)


@pytest.fixture
def boai(regions):
    return Region.objects.get(code=BOAI)


@pytest.fixture
def xiuwu_village(regions):
    return Region.objects.filter(code__startswith="410821", level="village").order_by("code").first()


@pytest.fixture
def boai_village(regions):
    return Region.objects.filter(code__startswith="410822", level="village").order_by("code").first()


def make_user(role, region_code, **kwargs):
    return UserFactory(roles=[role], region_id=region_code, **kwargs)


@pytest.fixture
def clerk(regions):
    """County clerk of 修武县."""
    return make_user(Role.COUNTY_CLERK, XIUWU, username="clerk_xiuwu")


@pytest.fixture
def other_clerk(regions):
    """County clerk of 博爱县: the outsider for 修武县 rows."""
    return make_user(Role.COUNTY_CLERK, BOAI, username="clerk_boai")


@pytest.fixture
def leader(regions):
    return make_user(Role.LEADER, CITY, username="leader_city")


@pytest.fixture
def admin_user(regions):
    return make_user(Role.ADMIN, CITY, username="admin_city", is_superuser=True, is_staff=True)


# The bodies that do each job (issue 19.4), city level as in the demo (zuzhibu, jiwei, dudao).
@pytest.fixture
def org_department(regions):
    """市委组织部: spot-checks first secretaries and work teams, runs the annual assessment."""
    return make_user(Role.ORGANISATION_DEPARTMENT, CITY, username="zuzhibu_city")


@pytest.fixture
def discipline_officer(regions):
    """市纪委: decides and follows up accountability cases."""
    return make_user(Role.DISCIPLINE_COMMISSION, CITY, username="jiwei_city")


@pytest.fixture
def supervisor(regions):
    """市委督导组: publishes the monthly bulletin and proposes the month's cases."""
    return make_user(Role.SUPERVISION_GROUP, CITY, username="dudao_city")


@pytest.fixture
def persona(regions):
    """persona(role, region_code) → a user with that role in that region."""
    return make_user


@pytest.fixture
def xiuwu_officer(xiuwu):
    return OfficerFactory(unit=UnitFactory(region=xiuwu, name="修武县测试单位"), region=xiuwu)


@pytest.fixture
def boai_officer(boai):
    return OfficerFactory(unit=UnitFactory(region=boai, name="博爱县测试单位"), region=boai)


@pytest.fixture
def wsgi_in_test_transaction():
    """Like Django's test client: the WSGI handler must not close the test's connection (schemathesis
    calls the WSGI application inside the test's transaction)."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def api_client():
    from rest_framework.test import APIClient

    return APIClient()


@pytest.fixture
def api_as(api_client):
    def login(user):
        api_client.force_authenticate(user=user)
        return api_client

    return login
