"""返贫: an exited household falls back into poverty — through a procedure, never a bare status change.

The procedure is the entry's (申请 → 村民主评议 → 乡镇审核 → 公示 → 县审批, services.procedures) with the
cause on the application; the county's approval moves the household to RETURNED through
core.transitions, and assistance's work list then asks for a plan again (NEEDS_PLAN_STATUSES).
"""

from __future__ import annotations

from django.db import transaction

from ..models import ProcedureCase, ProcedureKind, Step
from .procedures import procedure_step_record


@transaction.atomic
def return_procedure_start(
    *, household, actor, cause: str, reason: str, date=None, files: list | None = None
) -> ProcedureCase:
    """Start the 返贫 procedure with its application: the cause (因病/因残/因灾/因学/…) and what happened.
    Refused (TransitionNotAllowed on `status`) unless the household has exited."""
    data = {"cause": cause, "note": reason}
    if date:
        data["date"] = date
    step = procedure_step_record(
        household=household, kind=ProcedureKind.RETURN, step=Step.APPLICATION, actor=actor, data=data,
        files=files or [],
    )  # fmt: skip
    return step.case
