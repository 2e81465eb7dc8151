"""Logs never contain a full ID number (PIPL): the configured handlers mask them."""

import io
import logging

import pytest

from core.logging import MaskIdNumbersFilter
from tests.security import log_guard

ID = "41082119900307251X"
ID_DIGITS = "410821199003072514"
MASKED = "410821***********X"

pytestmark = pytest.mark.django_db


@pytest.fixture
def handler_output():
    """Each configured handler, writing to a buffer instead of its stream, as configured."""
    outputs = []
    for handler in log_guard.configured_handlers():
        buffer = io.StringIO()
        copy = logging.StreamHandler(buffer)
        copy.setFormatter(handler.formatter)
        for f in handler.filters:
            copy.addFilter(f)
        outputs.append((handler, copy, buffer))
    assert outputs, "settings.LOGGING configured no handler"
    return outputs


def test_every_configured_handler_masks_id_numbers(handler_output):
    for handler, _copy, _ in handler_output:
        assert any(isinstance(f, MaskIdNumbersFilter) for f in handler.filters), handler
    for _, copy, buffer in handler_output:
        logger = logging.getLogger("fupin.test.logs")
        for message, args in [
            (f"imported row 7: {ID} has no household", ()),
            ("imported row %s: %s", (8, ID_DIGITS)),
            ("row %(row)s id %(id)s", ({"row": 9, "id": ID.lower()},)),
            ("number %d", (410821199003072514,)),
        ]:
            copy.handle(logger.makeRecord(logger.name, logging.WARNING, __file__, 1, message, args, None))
        text = buffer.getvalue()
        assert ID not in text
        assert ID_DIGITS not in text
        assert ID.lower() not in text
        assert MASKED in text


def test_a_traceback_quoting_an_id_number_is_masked(handler_output):
    logger = logging.getLogger("fupin.test.logs")
    try:
        raise ValueError(f"row 12: {ID} is already in another household")
    except ValueError:
        import sys

        record = logger.makeRecord(
            logger.name, logging.ERROR, __file__, 1, "import failed", (), sys.exc_info()
        )
    for _, copy, buffer in handler_output:
        copy.handle(record)
        assert "Traceback" in buffer.getvalue()
        assert ID not in buffer.getvalue()
        assert MASKED in buffer.getvalue()


def test_a_404_for_a_url_with_an_id_number_is_logged_masked(client, clerk):
    """django.request logs every 404 with its path; a page that takes an ID number in the URL
    (search, a link pasted from a spreadsheet) must not put the number in the log."""
    captured = []

    class Capture(logging.Handler):
        def emit(self, record):
            captured.append(self.format(record))

    console = log_guard.configured_handlers()[0]
    capture = Capture()
    capture.setFormatter(console.formatter)
    for f in console.filters:
        capture.addFilter(f)
    root = logging.getLogger()
    root.addHandler(capture)
    try:
        client.force_login(clerk)
        assert client.get(f"/org/officers/{ID}/").status_code == 404
        assert client.get(f"/api/v1/officers/?name={ID}&unit=x").status_code == 400
    finally:
        root.removeHandler(capture)
    text = "\n".join(captured)
    assert "Not Found" in text
    assert MASKED in text
    assert ID not in text


def test_the_run_wide_guard_is_installed():
    """tests/conftest.py registers the guard: every handler's output is checked all run long."""
    assert log_guard.installed()
    assert logging.getLogger().getEffectiveLevel() <= logging.INFO
    # It catches a leak that bypasses the mask (a handler made without it, even now).
    before = len(log_guard.leaks)
    bare = logging.StreamHandler(io.StringIO())
    bare.handle(logging.makeLogRecord({"msg": f"leak {ID}", "levelno": logging.WARNING}))
    assert len(log_guard.leaks) == before + 1
    assert ID not in log_guard.leaks[-1]  # the report itself does not repeat the number
    del log_guard.leaks[before:]


def test_runserver_and_django_loggers_go_through_the_mask():
    """Django attaches its own handlers to `django` and `django.server` (the request log of
    `make run`: "GET /households/?q=… 200"); ours replace them, so only masked lines remain."""
    for name in ("django", "django.server", "django.request"):
        logger = logging.getLogger(name)
        assert not [h for h in logger.handlers if not isinstance(h, logging.NullHandler)], name
        assert logger.propagate


def test_celery_workers_log_through_the_same_configuration():
    from celery.signals import setup_logging

    from config.celery import use_django_logging

    assert any(receiver() is use_django_logging for _, receiver in setup_logging.receivers)
