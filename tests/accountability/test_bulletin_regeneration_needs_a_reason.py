"""The supervision group regenerates a month's bulletin from its page: without a reason (left empty or
only spaces) the page comes back with the error beside the reason field, and no version is made."""

import datetime as dt
import re

import pytest

from accountability.models import Bulletin, BulletinStatus
from accountability.services import bulletin_generate
from core.models import Region

pytestmark = pytest.mark.django_db
CITY = "410800000000"


@pytest.fixture
def bulletin(regions):
    return bulletin_generate(region=Region.objects.get(code=CITY), month=dt.date(2017, 5, 1))[0]


@pytest.mark.parametrize("reason", ["", "   "])
def test_regenerating_without_a_reason_shows_the_error_beside_the_field(client, supervisor, bulletin, reason):
    client.force_login(supervisor)
    response = client.post(f"/accountability/bulletins/{bulletin.pk}/regenerate/", {"reason": reason})
    assert response.status_code == 400
    html = response.content.decode()
    # The field in error, its label, and the Chinese message right after it (the page's error summary
    # is built from these by static/js/app.js).
    field = re.search(r'<div class="field has-error">(.*?)</div>', html, re.S)
    assert field, "the reason field is not marked in error"
    assert 'name="reason"' in field.group(1)
    assert "重新生成理由" in field.group(1)
    # The rule in words, not the generic "required".
    assert '<p class="error" role="alert">请说明重新生成通报的理由。</p>' in field.group(1)
    # The form posts to the server even when the browser would stop an empty required field: the
    # server's error (and the summary built from it) is what the user sees.
    assert re.search(r'<form[^>]*regenerate/"[^>]*novalidate', html)
    assert Bulletin.objects.filter(month=dt.date(2017, 5, 1)).count() == 1
    bulletin.refresh_from_db()
    assert bulletin.status == BulletinStatus.PUBLISHED
