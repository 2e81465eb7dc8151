"""An inspector files a visit report on a phone (390×844) with two findings and a photo; the
connection drops half-way; the report is finished when it returns; exactly one report arrives."""

import pytest

from inspections.models import Finding, FindingPhoto, FindingStatus, ReportStatus, VisitReport
from tests.factories.inspections import JPEG_BYTES, county_office, inspector_user

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "Pass-word-123"


def test_offline_half_way_then_filed_once(page, live_server, regions, login, screenshot):
    inspector = inspector_user(username="inspector_e2e")
    office = county_office("410821000000")
    page.set_viewport_size({"width": 390, "height": 844})
    login(page, inspector.username, PASSWORD)
    page.goto(f"{live_server.url}/inspections/file/")
    page.wait_for_selector("#findings .finding")

    page.select_option("#r-county", "410821000000")
    page.fill("#r-place", "修武县某村村委会")
    page.fill("#r-hh", "6")
    page.select_option("#f0-category", "identification")
    page.select_option("#f0-severity", "serious")
    page.fill("#f0-description", "一户家庭人口与档卡不符")
    page.select_option("#f0-responsible_unit", str(office.pk))
    screenshot(page, "inspections_filing_online")

    # The village has no signal from here on.
    page.context.set_offline(True)
    page.wait_for_function("() => !navigator.onLine")
    page.click("#add-finding")
    page.select_option("#f1-category", "assistance")
    page.fill("#f1-description", "帮扶措施未针对因病致贫")
    # A phone may hand over a picture without an extension: the page names it after its type,
    # since the server wants the extension to agree with the bytes.
    page.set_input_files(
        "#f1-photo", files=[{"name": "IMG_0042", "mimeType": "image/jpeg", "buffer": JPEG_BYTES}]
    )
    page.wait_for_selector("#findings .finding:nth-child(2) .photos li")
    page.click("#send")
    page.wait_for_selector("#net-status[data-state=queued]")
    assert "等待网络" in page.inner_text("#net-status")
    screenshot(page, "inspections_filing_offline_queued")
    assert VisitReport.objects.count() == 0

    # The draft survives a reload of the page while still offline? It lives in IndexedDB: check it is there.
    stored = page.evaluate(
        """(name) => new Promise((resolve) => {
            const req = indexedDB.open(name, 1);
            req.onsuccess = () => {
                const t = req.result.transaction(['drafts', 'photos'], 'readonly');
                const d = t.objectStore('drafts').getAll();
                const p = t.objectStore('photos').getAll();
                t.oncomplete = () => resolve({drafts: d.result.length, findings: d.result[0].findings.length,
                                              state: d.result[0].state, photos: p.result.length,
                                              blob: p.result[0].blob.size});
            };
        })""",
        f"fupin-inspections-u{inspector.pk}",  # drafts are kept per user
    )
    assert stored == {"drafts": 1, "findings": 2, "state": "queued", "photos": 1, "blob": len(JPEG_BYTES)}

    # The connection returns: the queued report is sent, its photo uploaded, and it is filed.
    page.context.set_offline(False)
    page.wait_for_selector("#net-status[data-state=filed]", timeout=30_000)
    screenshot(page, "inspections_filing_filed")

    assert VisitReport.objects.count() == 1
    report = VisitReport.objects.get()
    assert report.status == ReportStatus.FILED
    assert report.households_visited_count == 6
    findings = Finding.objects.filter(report=report).order_by("id")
    assert [f.category for f in findings] == ["identification", "assistance"]
    assert {f.status for f in findings} == {FindingStatus.CONFIRMED}
    assert findings[0].responsible_unit_id == office.pk
    assert FindingPhoto.objects.count() == 1
    assert FindingPhoto.objects.get().finding_id == findings[1].pk

    # The link goes to the filed report; nothing is left queued on the phone.
    page.click("#net-status a")
    page.wait_for_url(f"**/inspections/reports/{report.pk}/")
    assert "帮扶措施未针对因病致贫" in page.content()
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 390
