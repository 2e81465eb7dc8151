from tests.factories.dashboard import city_data  # noqa: F401 - fixture
