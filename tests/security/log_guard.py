"""A pytest plugin: no full ID number in any log line written during the test run.

Registered by tests/conftest.py. It wraps `logging.Handler.format`, so it sees exactly the lines
every handler writes (pytest's own capture handlers excepted),
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


def _masked(line: str) -> str:
    return FULL_ID.sub(lambda m: m.group(0)[:6] + "********" + m.group(0)[-4:], line)


def _check(handler: logging.Handler, record: logging.LogRecord, line: str) -> None:
    if type(handler).__module__.startswith("_pytest"):
        return  # pytest's own capture for test reports, not a log the product writes
    if FULL_ID.search(line):
        leaks.append(f"{record.name}: {_masked(line)[:300]}")


_original_format = logging.Handler.format


def _guarded_format(self, record):
    line = _original_format(self, record)
    _check(self, record, line)
    return line


_guarded_format.fupin_log_guard = True  # type: ignore[attr-defined]


def installed() -> bool:
    return getattr(logging.Handler.format, "fupin_log_guard", False)


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
    """Guard Handler.format itself, so handlers made later (a test or a Celery worker that
    re-applies LOGGING) are checked too; lower the loggers' threshold to INFO (production's)
    while each configured handler keeps printing only what it printed before."""
    logging.Handler.format = _guarded_format  # type: ignore[method-assign]
    root = logging.getLogger()
    for handler in configured_handlers():
        if handler.level == logging.NOTSET:
            handler.setLevel(root.level)
    if root.level > logging.INFO:
        root.setLevel(logging.INFO)


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node, error):
    """Under pytest-xdist the tests run in worker processes: each hands its leaks to the controller,
    whose session end below fails the run."""
    leaks.extend(getattr(node, "workeroutput", {}).get("fupin_log_leaks", []))


@pytest.hookimpl(trylast=True)
def pytest_sessionfinish(session, exitstatus):
    workeroutput = getattr(session.config, "workeroutput", None)
    if workeroutput is not None:  # an xdist worker: the controller reports and fails the run
        workeroutput["fupin_log_leaks"] = list(leaks)
        return
    if not leaks:
        return
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    lines = "\n".join(f"  {leak}" for leak in leaks[:50])
    message = f"{len(leaks)} log line(s) contained a full ID number:\n{lines}"
    if reporter:
        reporter.write_sep("=", "ID numbers in logs", red=True)
        reporter.write_line(message)
    session.exitstatus = pytest.ExitCode.TESTS_FAILED
