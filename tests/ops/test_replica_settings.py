"""DATABASE_REPLICA_URLS as a deployment writes it (issue 25.1): none by default, each URL its own alias
with a short connect timeout, and a malformed one stops start-up naming the variable."""

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from config.settings.env import env_replicas
from core.db_positions import replica_aliases
from core.db_replicas import ReplicaRouter


def test_no_replicas_by_default_so_every_read_is_on_the_primary(monkeypatch):
    monkeypatch.delenv("DATABASE_REPLICA_URLS", raising=False)
    assert env_replicas() == {}
    monkeypatch.setenv("DATABASE_REPLICA_URLS", "")
    assert env_replicas() == {}
    assert replica_aliases() == ()
    assert list(settings.DATABASES) == ["default"]


def test_each_replica_url_becomes_its_own_alias(monkeypatch):
    monkeypatch.setenv(
        "DATABASE_REPLICA_URLS", "postgres://app:pw@10.0.0.2:5432/fupin,postgres://app@10.0.0.3/fupin"
    )
    replicas = env_replicas(conn_max_age=60)
    assert list(replicas) == ["replica1", "replica2"]
    assert (replicas["replica1"]["HOST"], replicas["replica1"]["PORT"], replicas["replica1"]["PASSWORD"]) == (
        "10.0.0.2", "5432", "pw")  # fmt: skip
    assert replicas["replica2"]["NAME"] == "fupin"
    assert replicas["replica1"]["CONN_MAX_AGE"] == 60
    assert replicas["replica1"]["OPTIONS"]["connect_timeout"] == 2


@pytest.mark.parametrize(
    "value", ["mysql://app@10.0.0.2/fupin", "postgres://app@10.0.0.2/fupin,,", "postgres://h/"]
)
def test_a_malformed_replica_url_stops_start_up_naming_the_variable(monkeypatch, value):
    monkeypatch.setenv("DATABASE_REPLICA_URLS", value)
    with pytest.raises(ImproperlyConfigured, match="DATABASE_REPLICA_URLS"):
        env_replicas()


def test_the_router_never_writes_or_migrates_anywhere_but_the_primary():
    from households.models import Household

    router = ReplicaRouter()
    assert router.db_for_write(Household) == "default"
    assert router.db_for_read(Household) == "default"  # no view opted in
    assert router.allow_migrate("replica1", "households") is False
    assert router.allow_migrate("default", "households") is True
