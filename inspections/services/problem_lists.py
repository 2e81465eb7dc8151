"""Province problem lists: import from .xlsx (all or nothing), send, answer every item."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core import uploads, xlsx
from core.audit import actor_context
from core.exceptions import DomainError
from core.models import Unit, UnitKind
from core.scoping import ensure_can_write, scope
from core.transitions import record_created, transition, transition_many

from ..models import (
    AnswerEvidence,
    AnswerStatus,
    Finding,
    FindingCategory,
    FindingSource,
    FindingStatus,
    ItemKind,
    NotificationKind,
    ProblemAnswer,
    ProblemAnswerStatusChange,
    ProblemListRecipient,
    ProvinceProblem,
    ProvinceProblemList,
    is_city_reviewer,
)
from ..selectors import sees_secrets
from .ledger import rectification_item_create
from .notify import notify

# Headers accepted in the first row (Chinese as issued, or English).
HEADERS = {
    "number": {"序号", "编号", "number", "no."},
    "category": {"类别", "问题类别", "category"},
    "description": {"问题描述", "问题", "description", "problem"},
}
CATEGORY_LABELS = {
    "识别不精准": FindingCategory.IDENTIFICATION,
    "帮扶不精准": FindingCategory.ASSISTANCE,
    "退出不精准": FindingCategory.EXIT,
    "资金使用": FindingCategory.FUNDS,
    "档卡不规范": FindingCategory.FILES,
    "作风问题": FindingCategory.CONDUCT,
    "政策落实": FindingCategory.POLICY,
    **{c.value: c.value for c in FindingCategory},
}


@dataclass
class RowError:
    row: int
    field: str
    message: str


class ImportRejected(DomainError):
    """A file with at least one bad row: nothing was imported; `errors` names every bad row."""

    def __init__(self, errors: list[RowError]):
        first = errors[0]
        super().__init__(
            _("Row %(row)s, %(field)s: %(message)s. Nothing was imported.")
            % {"row": first.row, "field": first.field, "message": first.message},
            field="file",
        )
        self.errors = errors

    def as_dict(self) -> dict[str, list[str]]:
        return {"file": [f"{e.row}: {e.field}: {e.message}" for e in self.errors]}


def parse_problem_sheet(upload) -> list[dict]:
    """Read and check every row; raise ImportRejected listing the bad rows."""
    # Type, size and zip bounds first (core.uploads), then the one reader of uploads (core.xlsx).
    uploads.validate_upload(upload, kinds=uploads.SPREADSHEETS, field="file")
    upload.seek(0)
    try:
        rows = list(xlsx.read_sheet(upload.read()))
    except xlsx.UnreadableWorkbook:
        raise DomainError(_("The file is not a readable .xlsx workbook."), field="file") from None
    if not rows:
        raise DomainError(_("The workbook is empty."), field="file")
    header = [str(c or "").strip().lower() for c in rows[0][1]]
    columns = {}
    for key, names in HEADERS.items():
        for i, h in enumerate(header):
            if h in names:
                columns[key] = i
        if key not in columns:
            raise DomainError(
                _("Column %(name)s is missing from the first row.") % {"name": sorted(names)[0]}, field="file"
            )
    problems, errors, seen = [], [], set()
    for row_number, row in rows[1:]:
        if all(c in (None, "") for c in row):
            continue
        cell = {k: (row[i] if i < len(row) else None) for k, i in columns.items()}
        # A formula saved without its result (core.xlsx): its value is unknown, the cell is refused.
        uncomputed = [k for k, v in cell.items() if type(v) is xlsx.Uncomputed]
        for key in uncomputed:
            name = str(rows[0][1][columns[key]]).strip()
            errors.append(RowError(row_number, name, xlsx.uncomputed_reason()))
        try:
            number = int(str(cell["number"]).strip())
            if number <= 0:
                raise ValueError
        except (TypeError, ValueError):
            if "number" not in uncomputed:
                errors.append(RowError(row_number, "序号", _("must be a positive whole number")))
            number = None
        if number is not None and number in seen:
            errors.append(RowError(row_number, "序号", _("number %(n)s appears twice") % {"n": number}))
        seen.add(number)
        category = CATEGORY_LABELS.get(str(cell["category"] or "").strip())
        if category is None and "category" not in uncomputed:
            errors.append(
                RowError(row_number, "类别", _("unknown category %(c)r") % {"c": cell["category"] or ""})
            )
        description = str(cell["description"] or "").strip()
        if not description and "description" not in uncomputed:
            errors.append(RowError(row_number, "问题描述", _("is empty")))
        problems.append({"number": number, "category": category, "description": description})
    if errors:
        raise ImportRejected(errors)
    if not problems:
        raise DomainError(_("The workbook has no problems."), field="file")
    return problems


@transaction.atomic
def problem_list_import(
    *, actor, upload, title: str, issued_on: dt.date, answer_deadline: dt.date, issued_by: str = ""
) -> ProvinceProblemList:
    if not sees_secrets(actor):
        raise DomainError(_("Only city inspectors and administrators import province lists."), field="file")
    ensure_can_write(actor)
    if not (title or "").strip():
        raise DomainError(_("Enter the title."), field="title")
    problems = parse_problem_sheet(upload)
    with actor_context(actor):
        plist = ProvinceProblemList.objects.create(
            title=title.strip(), issued_on=issued_on, answer_deadline=answer_deadline, issued_by=issued_by,
            created_by=actor,
        )  # fmt: skip
        ProvinceProblem.objects.bulk_create([ProvinceProblem(problem_list=plist, **p) for p in problems])
    return plist


RECIPIENT_KINDS = (UnitKind.GOVERNMENT, UnitKind.DEPARTMENT, UnitKind.TOWNSHIP, UnitKind.POVERTY_OFFICE)


def default_recipients(*, actor, townships: bool = False):
    """Every county (its government, which holds the main responsibility) and every city department;
    with `townships`, every township too (乡镇 answer for the data of their villages)."""
    units = scope(Unit.objects.filter(is_active=True), actor=actor, field="region_id")
    chosen = units.filter(kind=UnitKind.GOVERNMENT, region__level="county") | units.filter(
        kind=UnitKind.DEPARTMENT, region__level="city"
    )
    if townships:
        chosen = chosen | units.filter(kind=UnitKind.TOWNSHIP, region__level="township")
    return chosen


@transaction.atomic
def problem_list_send(
    *, actor, problem_list: ProvinceProblemList, units=None, townships: bool = False
) -> int:
    """Send the list: each recipient gets every problem to answer. Sending again adds only new recipients.

    Recipients: county governments and city departments, and — with `townships`, or named in
    `units` — townships (乡镇党委政府)."""
    if not sees_secrets(actor):
        raise DomainError(_("Only city inspectors and administrators send province lists."), field="units")
    ensure_can_write(actor)
    units = list(units if units is not None else default_recipients(actor=actor, townships=townships))
    for unit in units:
        if unit.kind not in RECIPIENT_KINDS:
            raise DomainError(
                _("%(unit)s cannot answer a province list: send it to a county, township or department.")
                % {"unit": unit.name},
                field="units",
            )
    problems = list(problem_list.problems.all())
    added = 0
    for unit in units:
        recipient, created = ProblemListRecipient.objects.get_or_create(
            problem_list=problem_list, unit=unit, defaults={"region_id": unit.region_id}
        )
        ProblemAnswer.objects.bulk_create(
            [ProblemAnswer(recipient=recipient, problem=p) for p in problems], ignore_conflicts=True
        )
        if created:
            added += 1
            notify(
                unit=unit, kind=NotificationKind.PROBLEM_LIST,
                message=_("Answer every item of “%(title)s” by %(deadline)s.")
                % {"title": problem_list.title, "deadline": problem_list.answer_deadline},
                url=reverse("inspections:recipient_detail", args=[recipient.pk]),
            )  # fmt: skip
    # Each new answer's first status-change row ('' → not answered), for every recipient at once.
    ProblemAnswerStatusChange.objects.bulk_create(
        ProblemAnswerStatusChange(
            answer_id=pk, from_status="", to_status=AnswerStatus.UNANSWERED, actor=actor
        )
        for pk in ProblemAnswer.objects.filter(
            recipient__problem_list=problem_list, status_changes__isnull=True
        ).values_list("pk", flat=True)
    )
    if problem_list.sent_at is None:
        problem_list.sent_at = timezone.now()
        problem_list.save(update_fields=["sent_at", "updated_at"])
    return added


def _clean_text(value) -> str:
    return (value or "").strip()


@transaction.atomic
def problem_answer_set(
    *,
    actor,
    answer: ProblemAnswer,
    status: str,
    note: str = "",
    items: list[dict] | None = None,
    root_cause: str = "",
    rectification_plan: str = "",
    files=(),
) -> ProblemAnswer:
    """Answer one problem.

    Absent (本地不存在): a note and at least one evidence file, then the city reviews it; refused for a
    problem the city marked must-accept (照单全收). Present: its root cause and rectification plan
    (追根溯源) and at least one rectification item. An answer given after the list's deadline is
    marked late."""
    answer = (
        ProblemAnswer.objects.select_for_update()
        .select_related("recipient", "problem", "problem__problem_list")
        .get(pk=answer.pk)
    )
    recipient = answer.recipient
    ensure_can_write(actor, recipient.region_id)
    if status not in (AnswerStatus.ABSENT, AnswerStatus.PRESENT):
        raise DomainError(_("Answer present or not present."), field="status")
    if answer.status == AnswerStatus.PRESENT:
        raise DomainError(_("A problem answered present is followed up in the ledger."), field="status")
    note = _clean_text(note)
    items = items or []
    files = list(files or ())
    if status == AnswerStatus.ABSENT:
        if answer.problem.must_accept:
            raise DomainError(
                _(
                    "The city marked this problem to be accepted as listed: answer it present with its rectification."
                ),
                field="status",
            )
        if answer.status == AnswerStatus.ABSENT_ACCEPTED:
            raise DomainError(_("The city has already accepted this answer."), field="status")
        if not note:
            raise DomainError(_("Explain why the problem is not present here."), field="note")
        for upload in files:  # every file checked before anything is written (core.uploads)
            uploads.validate_upload(upload, kinds=uploads.DOCUMENTS, field="files")
        if not files and not (answer.status == AnswerStatus.ABSENT and answer.evidence_files.exists()):
            raise DomainError(_("Attach the evidence that the problem is not present here."), field="files")
    else:
        errors = {}
        if not _clean_text(root_cause):
            errors["root_cause"] = [_("Trace the problem to its root cause.")]
        if not _clean_text(rectification_plan):
            errors["rectification_plan"] = [_("Enter the rectification plan.")]
        if not items:
            errors["items"] = [_("A problem that is present needs at least one rectification item.")]
        if errors:
            raise DomainError(next(iter(errors.values()))[0], errors=errors)
    updates = {"note": note, "answered_by": actor, "answered_at": timezone.now()}
    if answer.status == AnswerStatus.UNANSWERED:
        updates["answered_late"] = timezone.localdate() > answer.problem.problem_list.answer_deadline
    if status == AnswerStatus.PRESENT:
        updates["root_cause"] = _clean_text(root_cause)
        updates["rectification_plan"] = _clean_text(rectification_plan)
    with actor_context(actor):
        if status == AnswerStatus.PRESENT:
            finding = Finding.objects.create(
                source=FindingSource.SELF_CHECK, source_reference=f"{answer.problem.problem_list.title} #{answer.problem.number}",
                category=answer.problem.category, description=answer.problem.description + ("\n" + note if note else ""),
                region_id=recipient.region_id, responsible_unit=recipient.unit, status=FindingStatus.CONFIRMED,
                confirmed_at=timezone.now(), reported_by=actor,
            )  # fmt: skip
            record_created(finding, actor=actor)
            for i, spec in enumerate(items):
                try:
                    deadline = spec["deadline"]
                    if isinstance(deadline, str):
                        deadline = dt.date.fromisoformat(deadline)
                except (KeyError, ValueError):
                    raise DomainError(_("Enter the deadline."), field=f"items[{i}].deadline") from None
                rectification_item_create(
                    actor=actor, finding=finding, responsible_unit=recipient.unit, deadline=deadline,
                    description=spec.get("description", ""), kind=spec.get("kind") or ItemKind.COMMON, self_check=True,
                )  # fmt: skip
            updates["finding"] = finding
        if status == answer.status:  # absent again: a new note and who answered, the status stays
            for name, value in updates.items():
                setattr(answer, name, value)
            answer.save(update_fields=[*updates, "updated_at"])
            saved = answer
        else:
            saved = transition(answer, status, actor=actor, note=note, updates=updates)
        _attach_evidence(saved, files, actor=actor)
    return saved


def _attach_evidence(answer: ProblemAnswer, files, *, actor) -> None:
    for upload in files:
        stored = uploads.store_upload(
            upload,
            kinds=uploads.DOCUMENTS,
            folder=f"inspections/answers/{timezone.now():%Y/%m}",
            field="files",
        )
        try:
            AnswerEvidence.objects.create(
                answer=answer, file=stored.path, content_type=stored.content_type[:100], size=stored.size,
                uploaded_by=actor,
            )  # fmt: skip
        except Exception:
            uploads.delete_stored(stored.path)
            raise


@transaction.atomic
def problem_answer_review(*, actor, answer: ProblemAnswer, accept: bool, note: str = "") -> ProblemAnswer:
    """The city reviews an "absent" answer: accepts it, or returns it (with the reason) to be answered again."""
    if not is_city_reviewer(actor):
        raise DomainError(_("Only the city reviews answers of a province list."), field="status")
    answer = ProblemAnswer.objects.select_related("recipient__unit", "problem").get(pk=answer.pk)
    ensure_can_write(actor, answer.recipient.region_id)
    note = _clean_text(note)
    if answer.status != AnswerStatus.ABSENT:
        raise DomainError(_("Only an answer “not present here” awaits the city's review."), field="status")
    if not accept and not note:
        raise DomainError(_("Give the reason for returning the answer."), field="note")
    to = AnswerStatus.ABSENT_ACCEPTED if accept else AnswerStatus.RETURNED
    saved = transition(
        answer, to, actor=actor, note=note,
        updates={"reviewed_by": actor, "reviewed_at": timezone.now(), "review_note": note},
    )  # fmt: skip
    recipient = answer.recipient
    notify(
        unit=recipient.unit, kind=NotificationKind.ANSWER_REVIEWED,
        message=(_("Accepted: problem %(n)s is not present here.") if accept
                 else _("Returned: answer problem %(n)s again. %(note)s")) % {"n": answer.problem.number, "note": note},
        url=reverse("inspections:recipient_detail", args=[recipient.pk]) + f"#p{answer.problem.number}",
    )  # fmt: skip
    return saved


@transaction.atomic
def problem_mark_must_accept(*, actor, problem: ProvinceProblem, must_accept: bool = True) -> ProvinceProblem:
    """照单全收: the city marks a problem every recipient must accept as present. Answers "not present
    here" still awaiting review are returned, so their recipients answer them again."""
    if not is_city_reviewer(actor):
        raise DomainError(_("Only the city marks problems to be accepted as listed."), field="must_accept")
    ensure_can_write(actor)
    problem = ProvinceProblem.objects.select_for_update().get(pk=problem.pk)
    if problem.must_accept != must_accept:
        problem.must_accept = must_accept
        problem.save(update_fields=["must_accept"])
    if must_accept:
        transition_many(
            ProblemAnswer.objects.filter(problem=problem, status=AnswerStatus.ABSENT), AnswerStatus.RETURNED,
            actor=actor, note=_("The city marked this problem to be accepted as listed."),
        )  # fmt: skip
    return problem
