"""Pages of province problem lists: import, send, each recipient's self-check answers."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views import View

from core.exceptions import DomainError
from core.scoping import scope
from core.transitions import can_transition, next_statuses
from core.web import PageMixin, add_domain_error

from .. import selectors, services
from ..forms import ProblemAnswerForm, ProblemListImportForm
from ..models import (
    OWED_STATUSES,
    AnswerStatus,
    ItemKind,
    ProblemAnswer,
    ProblemListRecipient,
    is_city_reviewer,
)


class ProblemListListView(PageMixin, View):
    permission_required = "inspections.view_provinceproblemlist"

    def get(self, request):
        lists = selectors.problem_list_list(actor=request.user).order_by("-issued_on", "-id")
        mine = scope(
            ProblemListRecipient.objects.select_related("unit", "problem_list"),
            actor=request.user,
            field="region_id",
        )
        return render(request, "inspections/problem_list_list.html", {
            "lists": lists, "mine": mine.filter(problem_list__sent_at__isnull=False)[:50],
            "can_import": selectors.sees_secrets(request.user) and request.user.has_perm("inspections.add_provinceproblemlist"),
        })  # fmt: skip


class ProblemListImportView(PageMixin, View):
    permission_required = "inspections.add_provinceproblemlist"
    upload_fields = ("file",)  # core.uploads checks it before it is read (problem_list_import)

    def get(self, request):
        return render(request, "inspections/problem_list_import.html", {"form": ProblemListImportForm()})

    def post(self, request):
        form = ProblemListImportForm(request.POST, request.FILES)
        row_errors = []
        if form.is_valid():
            d = form.cleaned_data
            try:
                plist = services.problem_list_import(
                    actor=request.user, upload=d["file"], title=d["title"], issued_on=d["issued_on"],
                    answer_deadline=d["answer_deadline"], issued_by=d["issued_by"],
                )  # fmt: skip
            except DomainError as exc:
                add_domain_error(form, exc)
                # An all-or-nothing import refused row by row lists every bad row (ImportRejected).
                row_errors = exc.errors if isinstance(exc.errors, list) else []
            else:
                messages.success(
                    request,
                    _("Imported %(n)s problems. Send the list to the counties and departments when ready.")
                    % {"n": plist.problems.count()},
                )
                return redirect("inspections:problem_list_detail", pk=plist.pk)
        return render(
            request,
            "inspections/problem_list_import.html",
            {"form": form, "row_errors": row_errors},
            status=400,
        )


class ProblemListDetailView(PageMixin, View):
    permission_required = "inspections.view_provinceproblemlist"

    def get(self, request, pk: int):
        plist = selectors.problem_list_get(actor=request.user, pk=pk)
        return render(request, "inspections/problem_list_detail.html", {
            "plist": plist, "recipients": selectors.recipient_progress(actor=request.user, problem_list=plist),
            "problems": plist.problems.all()[:500],
            "can_send": selectors.sees_secrets(request.user) and request.user.has_perm("inspections.change_provinceproblemlist") and not request.user.is_read_only,
            "can_mark": is_city_reviewer(request.user) and request.user.has_perm("inspections.change_provinceproblemlist"),
        })  # fmt: skip

    def post(self, request, pk: int):
        plist = selectors.problem_list_get(actor=request.user, pk=pk)
        try:
            if request.POST.get("action") == "must_accept":
                # 照单全收: the city marks (or unmarks) a problem every recipient must accept as present.
                problem = get_object_or_404(plist.problems, pk=request.POST.get("problem") or 0)
                services.problem_mark_must_accept(
                    actor=request.user, problem=problem, must_accept=request.POST.get("value") != "0"
                )
                messages.success(request, _("Saved."))
            else:
                added = services.problem_list_send(
                    actor=request.user, problem_list=plist, townships=request.POST.get("townships") == "1"
                )
                messages.success(request, _("Sent to %(n)s recipients.") % {"n": added})
        except DomainError as exc:
            messages.error(request, str(exc.message))
        return redirect("inspections:problem_list_detail", pk=plist.pk)


class RecipientDetailView(PageMixin, View):
    permission_required = "inspections.view_problemanswer"
    upload_fields = ("files",)  # evidence of an answer "not present here" (core.uploads, problem_answer_set)

    def get(self, request, pk: int, error=None, status=200, form=None):
        recipient = selectors.recipient_get(actor=request.user, pk=pk)
        answers = selectors.answers_for_recipient(actor=request.user, recipient=recipient)
        progress = answers.aggregate(
            total=Count("id"), answered=Count("id", filter=~Q(status__in=OWED_STATUSES))
        )
        answers = list(answers)
        for answer in answers:  # the form shows while the recipient may still move it (not once present)
            answer.answerable = bool(next_statuses(answer))
            answer.reviewable = can_transition(answer, AnswerStatus.ABSENT_ACCEPTED, request.user)
        return render(request, "inspections/recipient_detail.html", {
            "recipient": recipient, "answers": answers, "progress": progress, "error": error, "form": form,
            "can_answer": request.user.has_perm("inspections.change_problemanswer") and not request.user.is_read_only,
            "kinds": ItemKind.choices, "deadline_passed": recipient.problem_list.answer_deadline < timezone.localdate(),
        }, status=status)  # fmt: skip

    def post(self, request, pk: int):
        recipient = selectors.recipient_get(actor=request.user, pk=pk)
        answer = get_object_or_404(ProblemAnswer, pk=request.POST.get("answer") or 0, recipient=recipient)
        if request.POST.get("action") == "review":
            try:
                services.problem_answer_review(
                    actor=request.user, answer=answer, accept=request.POST.get("decision") == "accept",
                    note=request.POST.get("review_note", ""),
                )  # fmt: skip
            except DomainError as exc:
                return self.get(request, pk, error=f"{answer.problem.number}: {exc.message}", status=400)
            messages.success(request, pgettext("answer review", "Review saved."))
            return redirect(
                reverse("inspections:recipient_detail", args=[recipient.pk]) + f"#p{answer.problem.number}"
            )
        items = []
        if request.POST.get("item_description"):
            items.append({
                "description": request.POST["item_description"], "deadline": request.POST.get("item_deadline") or None,
                "kind": request.POST.get("item_kind") or ItemKind.COMMON,
            })  # fmt: skip
        try:
            services.problem_answer_set(
                actor=request.user, answer=answer, status=request.POST.get("status", ""),
                note=request.POST.get("note", ""), items=items, root_cause=request.POST.get("root_cause", ""),
                rectification_plan=request.POST.get("rectification_plan", ""), files=request.FILES.getlist("files"),
            )  # fmt: skip
        except DomainError as exc:
            form = ProblemAnswerForm(request.POST)  # each refusal beside its field, the row's input kept
            form.is_valid()
            add_domain_error(form, exc)
            return self.get(
                request, pk, error=f"{answer.problem.number}: {exc.message}", status=400, form=form
            )
        messages.success(request, _("Answer saved."))
        return redirect(
            reverse("inspections:recipient_detail", args=[recipient.pk]) + f"#p{answer.problem.number}"
        )
