import pytest

from tests.accountability.conftest import xiuwu_org  # noqa: F401 - the bulletin's organisation

from .workers import Broker


@pytest.fixture
def broker():
    b = Broker()
    try:
        yield b
    finally:
        b.close()


@pytest.fixture
def marker(tmp_path):
    return tmp_path / "paused.pid"
