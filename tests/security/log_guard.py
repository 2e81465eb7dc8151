"""A pytest plugin: no full ID number in any log line written during the test run.

Registered by tests/conftest.py. It wraps `format()` of every handler the logging
configuration (settings.LOGGING) attached, so it sees exactly the lines those handlers write,
and lowers the loggers' threshold to INFO (the production default) while keeping each handler's
own threshold, so INFO lines are checked without being printed. The check is independent of
core.logging's own pattern: any run of 17 digits and a digit or X counts. At the end of the
session a leak fails the run, naming the lines (with the number itself masked).
"""

from __future__ import annotations

import logging
import re

import pytest

FULL_ID = re.compile(r"(?<![0-9])[1-9][0-9]{16}[0-9Xx](?![0-9Xx])")
leaks: list[str] = []
_wrapped: list[tuple[logging.Handler, object, int]] = []


def _masked(line: str) -> str:
    return FULL_ID.sub(lambda m: m.group(0)[:6] + "********" + m.group(0)[-4:], line)


def _guard(handler: logging.Handler) -> None:
    original = handler.format

    def format(record):
        line = original(record)
        if FULL_ID.search(line):
            leaks.append(f"{record.name}: {_masked(line)[:300]}")
        return line

    handler.format = format  # type: ignore[method-assign]
    _wrapped.append((handler, original, handler.level))


def configured_handlers() -> list[logging.Handler]:
    """The handlers settings.LOGGING attached (pytest's own capture handlers excluded)."""
    found: list[logging.Handler] = []
    loggers = [logging.getLogger(), *(logging.getLogger(n) for n in logging.root.manager.loggerDict)]
    for logger in loggers:
        for handler in getattr(logger, "handlers", []):
            if isinstance(handler, logging.NullHandler) or type(handler).__module__.startswith("_pytest"):
                continue
            if handler not in found:
                found.append(handler)
    return found


@pytest.hookimpl(trylast=True)
def pytest_sessionstart(session):
    """pytest-django applied settings.LOGGING at configure time; wrap what it attached."""
    root = logging.getLogger()
    for handler in configured_handlers():
        if handler.level == logging.NOTSET:
            handler.setLevel(root.level)  # what it printed before, it prints now
        _guard(handler)
    if root.level > logging.INFO:
        root.setLevel(logging.INFO)


@pytest.hookimpl(trylast=True)
def pytest_sessionfinish(session, exitstatus):
    if not leaks:
        return
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    lines = "\n".join(f"  {leak}" for leak in leaks[:50])
    message = f"{len(leaks)} log line(s) contained a full ID number:\n{lines}"
    if reporter:
        reporter.write_sep("=", "ID numbers in logs", red=True)
        reporter.write_line(message)
    session.exitstatus = pytest.ExitCode.TESTS_FAILED
