"""A policy task past its deadline without evidence is flagged; adding evidence clears the flag."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError

from core.exceptions import DomainError, ReadOnlyActor
from policies import selectors, services
from policies.models import PolicyEvidence, PolicyTask

pytestmark = pytest.mark.django_db


def test_overdue_task_is_flagged_and_evidence_clears_it(clerk, overdue_task):
    task = selectors.task_get(actor=clerk, pk=overdue_task.pk)
    assert task.is_overdue
    assert not task.has_evidence
    assert list(selectors.task_list(actor=clerk, filters={"flag": "overdue"})) == [task]

    services.policy_task_add_evidence(
        task=task, actor=clerk, title="修武县转移就业脱贫实施办法（修政办〔2017〕3号）",
        url="https://www.xiuwu.gov.cn/doc/3",
    )  # fmt: skip

    task = selectors.task_get(actor=clerk, pk=overdue_task.pk)
    assert not task.is_overdue
    assert task.has_evidence
    assert task.status == "implemented"
    assert task.implemented_at is not None
    assert not selectors.task_list(actor=clerk, filters={"flag": "overdue"}).exists()


def test_task_not_yet_due_is_not_flagged(clerk, policy, admin_user):
    from tests.policies.conftest import _task

    task = _task(policy, "410821000000", admin_user, days=10)
    assert selectors.task_get(actor=clerk, pk=task.pk).is_overdue is False


def test_the_page_shows_the_flag_and_the_upload_clears_it(client, clerk, overdue_task):
    client.force_login(clerk)
    page = client.get(f"/policies/tasks/{overdue_task.pk}/")
    assert page.status_code == 200
    assert 'data-flag="overdue"' in page.content.decode()
    pdf = SimpleUploadedFile("办法.pdf", b"%PDF-1.4 test", content_type="application/pdf")
    response = client.post(
        f"/policies/tasks/{overdue_task.pk}/", {"title": "配套办法", "url": "", "file": pdf}
    )
    assert response.status_code == 302
    page = client.get(f"/policies/tasks/{overdue_task.pk}/")
    assert 'data-flag="overdue"' not in page.content.decode()
    evidence = PolicyEvidence.objects.get(task=overdue_task)
    assert client.get(f"/policies/evidence/{evidence.pk}/").status_code == 200


def test_evidence_needs_a_file_or_link_and_a_title(clerk, overdue_task):
    with pytest.raises(DomainError) as error:
        services.policy_task_add_evidence(task=overdue_task, actor=clerk, title="办法")
    assert error.value.field == "file"
    with pytest.raises(DomainError) as error:
        services.policy_task_add_evidence(task=overdue_task, actor=clerk, title=" ", url="https://x.cn/1")
    assert error.value.field == "title"
    bad = SimpleUploadedFile("x.exe", b"MZ\x90\x00", content_type="application/octet-stream")
    with pytest.raises(DomainError):
        services.policy_task_add_evidence(task=overdue_task, actor=clerk, title="办法", upload=bad)
    assert PolicyTask.objects.get(pk=overdue_task.pk).status == "pending"


def test_database_refuses_evidence_without_file_or_link(clerk, overdue_task):
    with pytest.raises(IntegrityError):
        PolicyEvidence.objects.create(task=overdue_task, title="空", uploaded_by=clerk)


def test_api_lists_the_flag_and_posting_evidence_clears_it(api_as, clerk, overdue_task):
    api = api_as(clerk)
    rows = api.get("/api/v1/policies/tasks/?overdue=true").json()["results"]
    assert [r["id"] for r in rows] == [overdue_task.pk]
    assert rows[0]["is_overdue"] is True
    response = api.post(
        f"/api/v1/policies/tasks/{overdue_task.pk}/evidence/",
        {"title": "配套办法", "url": "https://www.xiuwu.gov.cn/doc/9"}, format="multipart",
    )  # fmt: skip
    assert response.status_code == 201
    assert response.json()["is_overdue"] is False
    assert api.get("/api/v1/policies/tasks/?overdue=true").json()["results"] == []
    policies = api.get("/api/v1/policies/").json()["results"]
    assert policies[0]["implemented_count"] == 1
    assert policies[0]["overdue_count"] == 0


def test_other_county_gets_404_on_pages_and_endpoints(client, api_as, other_clerk, overdue_task):
    client.force_login(other_clerk)
    assert client.get(f"/policies/tasks/{overdue_task.pk}/").status_code == 404
    assert (
        client.post(f"/policies/tasks/{overdue_task.pk}/", {"title": "x", "url": "https://x.cn"}).status_code
        == 404
    )
    api = api_as(other_clerk)
    assert api.get(f"/api/v1/policies/tasks/{overdue_task.pk}/").status_code == 404
    assert api.post(f"/api/v1/policies/tasks/{overdue_task.pk}/evidence/", {"title": "x", "url": "https://x.cn"},
                    format="json").status_code == 404  # fmt: skip
    assert api.get("/api/v1/policies/tasks/").json()["results"] == []


def test_leader_reads_every_county_but_cannot_write(client, api_as, leader, overdue_task, boai_task):
    client.force_login(leader)
    assert client.get(f"/policies/tasks/{overdue_task.pk}/").status_code == 200
    assert (
        client.post(f"/policies/tasks/{overdue_task.pk}/", {"title": "x", "url": "https://x.cn"}).status_code
        == 403
    )
    api = api_as(leader)
    assert {r["id"] for r in api.get("/api/v1/policies/tasks/").json()["results"]} == {
        overdue_task.pk,
        boai_task.pk,
    }
    assert api.post(f"/api/v1/policies/tasks/{overdue_task.pk}/evidence/", {"title": "x", "url": "https://x.cn"},
                    format="json").status_code == 403  # fmt: skip
    with pytest.raises(ReadOnlyActor):
        services.policy_task_add_evidence(task=overdue_task, actor=leader, title="x", url="https://x.cn")


def test_system_rectification_items_attach_to_a_task(admin_user, overdue_task):
    from tests.factories.inspections import RectificationItemFactory

    system_item = RectificationItemFactory(kind="system")
    services.policy_task_link_items(task=overdue_task, items=[system_item], actor=admin_user)
    assert list(overdue_task.rectification_items.all()) == [system_item]
    with pytest.raises(DomainError):
        services.policy_task_link_items(
            task=overdue_task, items=[RectificationItemFactory()], actor=admin_user
        )


def test_list_page_query_count_is_pinned(client, clerk, overdue_task, django_assert_max_num_queries):
    client.force_login(clerk)
    with django_assert_max_num_queries(12):
        assert client.get("/policies/tasks/").status_code == 200
    with django_assert_max_num_queries(12):
        assert client.get("/policies/").status_code == 200


def test_demo_1_plus_16_is_complete_and_idempotent(regions):
    import io

    from core import demo as core_demo
    from policies import demo
    from policies.models import Policy

    core_demo.seed(stdout=io.StringIO())
    demo.seed(stdout=io.StringIO())
    first = (Policy.objects.count(), PolicyTask.objects.count(), PolicyEvidence.objects.count())
    demo.seed(stdout=io.StringIO())
    assert first == (Policy.objects.count(), PolicyTask.objects.count(), PolicyEvidence.objects.count())
    assert first[0] == 17
    assert Policy.objects.filter(kind="main").count() == 1
    assert first[1] == 17 * 11  # one task per policy and county
