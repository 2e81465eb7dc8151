"""Every page the people in the villages use works on a 390×844 phone without scrolling sideways
(issue 21, "Phone pages"): the inspector, the first secretary (驻村第一书记) and the responsible
officer (帮扶责任人) of the demo each open, on a phone, every page their menu and their work inbox
link to, and the first row of each list those pages show; none is wider than the screen.

The demo is the run's (tests/demo_db.py), copied for this module."""

from urllib.parse import urlparse

import pytest

from core.demo import DEMO_PASSWORD

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
FIELD_PEOPLE = ("inspector", "secretary", "assist")
# Links that are not pages to read: downloads, log-out, language, the API's own pages.
NOT_PAGES = (
    "/accounts/logout",
    "/i18n/",
    "/api/",
    "/admin/",
    ".xlsx",
    ".csv",
    "/export",
    "/sw.js",
    "/photos/",
)

LINKS = """(scope) => [...document.querySelectorAll(scope)].map((a) => a.getAttribute('href'))"""
WIDTH = "() => [document.documentElement.scrollWidth, window.innerWidth]"
# The outermost elements that reach past the screen's right edge, to name in the failure.
WIDE = """() => [...document.querySelectorAll('body *')].filter((el) => {
    const r = el.getBoundingClientRect(), p = el.parentElement && el.parentElement.getBoundingClientRect();
    return r.right > window.innerWidth + 1 && !(p && p.right > window.innerWidth + 1);
}).slice(0, 3).map((el) => [el.parentElement, el].map((e) => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') +
    (e.className && typeof e.className === 'string' ? '.' + e.className.trim().split(/\\s+/).join('.') : '') +
    ' ' + getComputedStyle(e).display + '/' + getComputedStyle(e).overflowX).join(' > '))"""


def _pages(hrefs, base: str) -> list[str]:
    out = []
    for href in hrefs:
        if not href or href.startswith(("#", "mailto:", "tel:", "javascript:")):
            continue
        url = urlparse(href)
        if url.netloc and url.netloc != urlparse(base).netloc:
            continue
        path = url.path + (f"?{url.query}" if url.query else "")
        if any(part in path for part in NOT_PAGES) or path in out:
            continue
        out.append(path)
    return out


def test_the_field_peoples_pages_fit_a_phone(demo_database, new_context, live_server, login, screenshot):
    too_wide: list[str] = []
    opened: dict[str, int] = {}
    for username in FIELD_PEOPLE:
        page = new_context(viewport=PHONE).new_page()
        login(page, username, DEMO_PASSWORD)
        home = _pages(page.evaluate(LINKS, "nav a, #inbox a, main a.button"), live_server.url)
        seen = {"/"}
        queue = list(home)
        width, inner = page.evaluate(WIDTH)
        if width > inner:
            too_wide.append(f"{username} /: {width} px ({', '.join(page.evaluate(WIDE))})")
        while queue:
            path = queue.pop(0)
            if path in seen:
                continue
            seen.add(path)
            response = page.goto(live_server.url + path)
            if (
                response is None
                or response.status != 200
                or "text/html" not in response.headers.get("content-type", "")
            ):
                continue
            width, inner = page.evaluate(WIDTH)
            if width > inner:
                too_wide.append(f"{username} {path}: {width} px ({', '.join(page.evaluate(WIDE))})")
                screenshot(page, f"too_wide_{username}_{len(too_wide)}")
            if path in home:  # a list the menu opens: its first row's page too
                rows = page.evaluate(LINKS, "main table tbody tr a, main .cards a, main ul.rows a")
                queue += [p for p in _pages(rows, live_server.url)[:1] if p not in seen]
        opened[username] = len(seen)
        screenshot(page, f"phone_last_page_{username}")
        page.context.close()
    # Each of them reaches pages beyond the home page, or the walk proves nothing.
    assert all(n >= 4 for n in opened.values()), opened
    assert too_wide == [], (too_wide, opened)
