"""Log-out leaves nothing of an inspector on a shared phone (issue 15.12): the draft saved offline
and the service worker's cached filing page (with the inspector's plans) are gone when the next
inspector logs in on the same browser; drafts are kept per user."""

import pytest

from tests.factories.inspections import inspection_group, inspector_user

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "Pass-word-123"

BROWSER_STATE = """async () => {
    const dbs = indexedDB.databases ? (await indexedDB.databases()).map((d) => d.name) : null;
    const keys = await caches.keys();
    let cachedPage = false;
    for (const k of keys) if (await (await caches.open(k)).match('/inspections/file/')) cachedPage = true;
    const workers = (await navigator.serviceWorker.getRegistrations()).length;
    return {dbs, caches: keys.length, cachedPage, workers, local: localStorage.length};
}"""

DRAFTS = """(name) => new Promise((resolve) => {
    const req = indexedDB.open(name, 1);
    req.onupgradeneeded = () => {
        req.result.createObjectStore('drafts', {keyPath: 'client_uuid'});
        req.result.createObjectStore('photos', {keyPath: 'client_uuid'});
    };
    req.onsuccess = () => {
        const all = req.result.transaction('drafts', 'readonly').objectStore('drafts').getAll();
        all.onsuccess = () => { const places = all.result.map((d) => d.place); req.result.close(); resolve(places); };
    };
})"""


def test_the_next_user_finds_no_draft_and_no_cached_plans(page, live_server, regions, login, screenshot):
    group = inspection_group()
    first = inspector_user(group=group, username="inspector_first")
    second = inspector_user(group=group, username="inspector_second")
    page.set_viewport_size({"width": 390, "height": 844})

    login(page, first.username, PASSWORD)
    page.goto(f"{live_server.url}/inspections/file/")
    page.wait_for_selector("#findings .finding")
    page.wait_for_function(
        "async () => { const r = await navigator.serviceWorker.ready; return !!r.active && "
        "!!(await caches.match('/inspections/file/')); }",
        timeout=20_000,
    )
    page.evaluate("() => localStorage.setItem('fupin-note', 'x')")

    # A draft typed with no signal, kept in the browser.
    page.context.set_offline(True)
    page.wait_for_function("() => !navigator.onLine")
    page.select_option("#r-county", "410821000000")
    page.fill("#r-place", "第一位督查员的走访地点")
    page.wait_for_selector("#saved-at:not(:empty)")
    assert page.evaluate(DRAFTS, f"fupin-inspections-u{first.pk}") == ["第一位督查员的走访地点"]
    before = page.evaluate(BROWSER_STATE)
    assert before["cachedPage"]
    assert before["workers"] == 1
    page.context.set_offline(False)
    page.wait_for_function("() => navigator.onLine")

    # Log out (the unsent draft is announced first), then the next inspector logs in.
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.accept()))
    page.click("form[data-logout] button")
    page.wait_for_url("**/accounts/login/**")
    login(page, second.username, PASSWORD)

    after = page.evaluate(BROWSER_STATE)
    assert after["caches"] == 0
    assert not after["cachedPage"]
    assert after["workers"] == 0
    assert after["local"] == 0
    assert f"fupin-inspections-u{first.pk}" not in (after["dbs"] or [])

    page.goto(f"{live_server.url}/inspections/file/")
    page.wait_for_selector("#findings .finding")
    assert page.input_value("#r-place") == ""
    assert "第一位督查员" not in page.content()
    assert page.evaluate(DRAFTS, f"fupin-inspections-u{second.pk}") == []
    screenshot(page, "inspections_filing_after_logout_next_user")
    assert dialogs, "logging out with an unsent draft asks first"
