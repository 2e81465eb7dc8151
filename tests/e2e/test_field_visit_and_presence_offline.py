"""A responsible officer who is also their village's first secretary, on a phone (390×844) with no
signal in the village: logs a visit to their household with a photo, and the day in the village;
both wait on the phone and arrive once when the connection returns."""

import datetime as dt

import pytest
from django.utils import timezone

from assistance.models import PresenceDay, Visit
from core.models import Region, Role
from tests.factories.assistance import VillageTeamFactory
from tests.factories.core import UserFactory
from tests.factories.households import HouseholdFactory
from tests.factories.inspections import JPEG_BYTES

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "Pass-word-123"


def _stored(page, name):
    return page.evaluate(
        """(name) => new Promise((resolve) => {
            const req = indexedDB.open(name, 1);
            req.onsuccess = () => {
                const t = req.result.transaction(['drafts', 'photos'], 'readonly');
                const d = t.objectStore('drafts').getAll();
                const p = t.objectStore('photos').getAll();
                t.oncomplete = () => resolve({queued: d.result.filter((x) => x.state === 'queued').length,
                                              photos: p.result.length});
            };
        })""",
        name,
    )


def test_a_visit_and_a_day_in_the_village_written_offline_arrive_once_online(
    page, live_server, regions, login, screenshot
):
    village = Region.objects.filter(code__startswith="410821", level="village").order_by("code").first()
    team = VillageTeamFactory(villages=[village], start_date=timezone.localdate() - dt.timedelta(days=60))
    user = UserFactory(roles=[Role.ASSISTANCE_OFFICER, Role.FIRST_SECRETARY], region_id="410821000000",
                       username="bangfu_e2e", officer=team.first_secretary)  # fmt: skip
    household = HouseholdFactory(village=village, head_name="李大山", assistance_officer=team.first_secretary)

    page.set_viewport_size({"width": 390, "height": 844})
    login(page, user.username, PASSWORD)
    page.goto(f"{live_server.url}/assistance/visits/phone/")
    page.wait_for_selector("#net-status[data-state=online]")

    # No signal from here on: the visit is written and kept on the phone.
    page.context.set_offline(True)
    page.wait_for_function("() => !navigator.onLine")
    page.select_option("#v-household", str(household.pk))
    page.fill("#v-activities", "了解务工情况，宣讲小额信贷政策")
    page.fill("#v-said", "想贷款养牛")
    page.select_option("#v-satisfaction", "satisfied")
    page.set_input_files(
        "#v-photo", files=[{"name": "IMG_0007", "mimeType": "image/jpeg", "buffer": JPEG_BYTES}]
    )
    page.wait_for_selector("#photo-name:has-text('IMG_0007')")
    page.click("#send")
    page.wait_for_selector("#net-status[data-state=queued]")
    page.wait_for_selector("#outbox li")
    screenshot(page, "assistance_visit_offline_queued")
    assert Visit.objects.count() == 0
    assert _stored(page, f"fupin-visits-u{user.pk}") == {"queued": 1, "photos": 1}

    page.context.set_offline(False)
    page.wait_for_selector("#net-status[data-state=sent]", timeout=30_000)
    visit = Visit.objects.get()
    assert (visit.household, visit.officer, visit.recorded_by) == (household, team.first_secretary, user)
    assert visit.household_said == "想贷款养牛"
    assert visit.visited_on == timezone.localdate()
    assert visit.photo
    assert visit.photo_name == "IMG_0007.jpg"
    assert _stored(page, f"fupin-visits-u{user.pk}") == {"queued": 0, "photos": 0}
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 390

    # The day in the village, the same way.
    page.goto(f"{live_server.url}/assistance/presence/phone/")
    page.wait_for_selector("#net-status[data-state=online]")
    page.context.set_offline(True)
    page.wait_for_function("() => !navigator.onLine")
    page.select_option("#p-team", str(team.pk))
    page.select_option("#p-village", village.code)
    page.fill("#p-note", "召开村两委会议")
    page.click("#send")
    page.wait_for_selector("#net-status[data-state=queued]")
    assert PresenceDay.objects.count() == 0
    page.context.set_offline(False)
    page.wait_for_selector("#net-status[data-state=sent]", timeout=30_000)
    day = PresenceDay.objects.get()
    assert (day.team, day.officer, day.village, day.day) == (
        team,
        team.first_secretary,
        village,
        timezone.localdate(),
    )
    screenshot(page, "assistance_presence_sent")
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 390
