"""Log-out tells the browser to drop the site's caches and storage (issue 15.12): the inspector's
cached filing page (their plans) and drafts must not stay for the next user of the phone.
The browser side — the page's script and the next user's empty draft — is
tests/e2e/test_logout_clears_offline_data.py."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_the_logout_answer_clears_cache_and_storage(client, clerk):
    client.force_login(clerk)
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert response["Clear-Site-Data"] == '"cache", "storage"'
    assert client.get(reverse("home")).status_code == 302  # logged out


def test_every_page_gives_the_logout_form_the_user_to_clear(client, clerk):
    client.force_login(clerk)
    body = client.get(reverse("home")).content.decode()
    assert "data-logout" in body
    assert f'data-user="{clerk.pk}"' in body


def test_the_filing_page_keys_its_drafts_to_the_user(client, regions):
    from tests.factories.inspections import inspector_user

    inspector = inspector_user(username="inspector_keys")
    client.force_login(inspector)
    body = client.get(reverse("inspections:report_file")).content.decode()
    assert f'data-user="{inspector.pk}"' in body.split('id="filing"', 1)[1].split(">", 1)[0]
