"""Writes for policies: the policy system, recipients' tasks, evidence that clears a task."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core import uploads
from core.audit import actor_context
from core.exceptions import DomainError, full_clean
from core.models import Region, Unit
from core.regions import in_line, prefix_from_code
from core.scoping import ensure_can_write
from core.transitions import can_transition, record_created, transition
from inspections.models import ItemKind, RectificationItem

from .models import Policy, PolicyEvidence, PolicyKind, PolicyTask, TaskStatus


@transaction.atomic
def policy_create(
    *, system: str, number: int, title: str, issued_on: dt.date, region: Region, actor,
    document_number: str = "", summary: str = "", departments: list[Unit] | None = None,
) -> Policy:  # fmt: skip
    ensure_can_write(actor, region.code)
    # The departments are regions the write touches too (issue 15.4): of the issuing region or above it.
    for unit in departments or []:
        if not in_line(unit.region_id, region.code):
            raise DomainError(
                _("A department must belong to the issuing region or a region above it."), field="departments"
            )
    kind = PolicyKind.MAIN if number == 0 else PolicyKind.SUPPORTING
    with actor_context(actor):
        policy = Policy(
            system=system, number=number, kind=kind, title=title, issued_on=issued_on, region=region,
            document_number=document_number, summary=summary,
        )  # fmt: skip
        full_clean(policy)
        policy.save()
        if departments:
            policy.departments.set(departments)
    return policy


@transaction.atomic
def policy_task_assign(
    *, policy: Policy, recipient: Unit, requirement: str, deadline: dt.date, actor
) -> PolicyTask:
    ensure_can_write(actor, recipient.region_id)
    # A policy's tasks go to units within the region that issued it, never to another county's.
    if not recipient.region_id.startswith(prefix_from_code(policy.region_id)):
        raise DomainError(
            _("The recipient must lie within the region that issued the policy."), field="recipient"
        )
    if not requirement.strip():
        raise DomainError(_("Say what the recipient must issue or do."), field="requirement")
    if deadline < policy.issued_on:
        raise DomainError(_("The deadline cannot be before the policy was issued."), field="deadline")
    with actor_context(actor):
        task = PolicyTask(
            policy=policy, recipient=recipient, region_id=recipient.region_id,
            requirement=requirement.strip(), deadline=deadline,
        )  # fmt: skip
        full_clean(task)
        task.save()
        record_created(task, actor=actor)
    return task


@transaction.atomic
def policy_task_add_evidence(
    *, task: PolicyTask, actor, title: str, url: str = "", upload=None
) -> PolicyEvidence:
    """Attach an implementing document (file or link). The task becomes implemented and its
    overdue flag clears."""
    task = PolicyTask.objects.select_for_update().get(pk=task.pk)
    ensure_can_write(actor, task.region_id)
    title = (title or "").strip()
    if not title:
        raise DomainError(_("Name the document (e.g. its title and number)."), field="title")
    if not url and upload is None:
        raise DomainError(_("Attach the document or give a link to it."), field="file")
    if upload is not None:  # type from the bytes, size, zip bounds: checked before anything is written
        uploads.validate_upload(upload, kinds=uploads.DOCUMENTS, field="file")
    with actor_context(actor):
        evidence = PolicyEvidence(task=task, title=title[:200], url=url or "", uploaded_by=actor)
        full_clean(evidence, exclude=["file"])
        stored = None
        if upload is not None:
            stored = uploads.store_upload(
                upload,
                kinds=uploads.DOCUMENTS,
                folder=f"policies/evidence/{timezone.now():%Y/%m}",
                field="file",
            )
            evidence.file = stored.path
        try:
            evidence.save()
        except Exception:
            if stored is not None:
                uploads.delete_stored(stored.path)
            raise
        if can_transition(task, TaskStatus.IMPLEMENTED):
            transition(
                task, TaskStatus.IMPLEMENTED, actor=actor, note=evidence.title,
                updates={"implemented_at": timezone.now()},
            )  # fmt: skip
    return evidence


@transaction.atomic
def policy_task_link_items(*, task: PolicyTask, items: list[RectificationItem], actor) -> PolicyTask:
    """Attach departments' system-wide rectification items (系统整改) to the task they answer."""
    ensure_can_write(actor, task.region_id)
    for item in items:
        if item.kind != ItemKind.SYSTEM:
            raise DomainError(
                _("Only system-wide rectification items attach to a policy task."),
                field="rectification_items",
            )
        if not in_line(item.region_id, task.region_id):  # another county's item answers nothing here
            raise DomainError(
                _("The rectification item must belong to the task's region or a region above it."),
                field="rectification_items",
            )
    with actor_context(actor):
        task.rectification_items.add(*items)
    return task
