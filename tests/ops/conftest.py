import pytest

from .clusters import dump_test_schema


@pytest.fixture(scope="session")
def test_schema_dump(django_db_setup, django_db_blocker, tmp_path_factory):
    """The migrated test database of this run as a pg_dump file, for the clusters of tests/ops."""
    with django_db_blocker.unblock():
        return dump_test_schema(tmp_path_factory.mktemp("ops-dump"))
