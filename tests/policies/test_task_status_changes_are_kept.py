"""A task's moves (assigned, implemented) are kept as append-only status-change rows, old ones back-filled."""

import datetime as dt
import importlib

import pytest
from django.apps import apps
from django.db import connection, transaction
from django.db.models import ProtectedError
from django.urls import reverse
from django.utils import timezone

from core.audit import actor_context
from core.models import Region, UnitKind
from core.transitions import can_transition
from policies import services
from policies.models import PolicyTask, PolicyTaskStatusChange, TaskStatus
from tests.factories.core import UnitFactory

pytestmark = pytest.mark.django_db


def moves(task):
    return list(task.status_changes.values_list("from_status", "to_status", "actor", "note"))


def test_assigning_and_implementing_each_write_one_row(clerk, admin_user, overdue_task):
    assert moves(overdue_task) == [("", "pending", admin_user.pk, "")]
    services.policy_task_add_evidence(
        task=overdue_task, actor=clerk, title="修政办〔2017〕3号", url="https://x.cn/3"
    )
    services.policy_task_add_evidence(task=overdue_task, actor=clerk, title="补充文件", url="https://x.cn/4")
    assert moves(overdue_task)[1:] == [("pending", "implemented", clerk.pk, "修政办〔2017〕3号")]
    overdue_task.refresh_from_db()
    assert not can_transition(overdue_task, TaskStatus.PENDING)


def test_rows_cannot_be_edited_or_deleted_nor_their_task(overdue_task):
    row = overdue_task.status_changes.get()
    with pytest.raises(Exception, match="Cannot update or delete"), transaction.atomic():
        PolicyTaskStatusChange.objects.filter(pk=row.pk).update(note="改写")
    with pytest.raises(Exception, match="Cannot update or delete"), transaction.atomic():
        PolicyTaskStatusChange.objects.filter(pk=row.pk).delete()
    with pytest.raises(ProtectedError), transaction.atomic():
        PolicyTask.objects.filter(pk=overdue_task.pk).delete()


def test_backfill_reads_the_moves_from_the_tasks_history(policy, clerk, admin_user):
    """Tasks written before the table existed: one row per status the history shows, with who moved it."""
    unit = UnitFactory(region=Region.objects.get(code="410821000000"), kind=UnitKind.GOVERNMENT)
    with actor_context(admin_user):
        task = PolicyTask.objects.create(policy=policy, recipient=unit, region_id=unit.region_id,
                                         requirement="出台办法", deadline=dt.date(2017, 6, 30))  # fmt: skip
        PolicyTask.objects.filter(pk=task.pk).update(requirement="出台县级办法")  # no move: no row
    with actor_context(clerk):
        PolicyTask.objects.filter(pk=task.pk).update(
            status=TaskStatus.IMPLEMENTED, implemented_at=timezone.now()
        )
    assert moves(task) == []
    migration = importlib.import_module("policies.migrations.0002_task_status_changes")
    with connection.schema_editor() as editor:
        migration.backfill(apps, editor)
    assert moves(task) == [("", "pending", admin_user.pk, ""), ("pending", "implemented", clerk.pk, "")]


def test_the_task_page_shows_its_moves_in_words(client, clerk, overdue_task):
    services.policy_task_add_evidence(
        task=overdue_task, actor=clerk, title="修政办〔2017〕3号", url="https://x.cn/3"
    )
    client.force_login(clerk)
    page = client.get(reverse("policies:task_detail", args=[overdue_task.pk]), HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert "未落实 → 已落实" in page.content.decode()
