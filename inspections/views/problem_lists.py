"""Pages of province problem lists: import, send, each recipient's self-check answers."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from core.exceptions import DomainError
from core.scoping import scope
from core.transitions import next_statuses
from core.web import PageMixin, add_domain_error

from .. import selectors, services
from ..forms import ProblemListImportForm
from ..models import AnswerStatus, ItemKind, ProblemAnswer, ProblemListRecipient


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
        })  # fmt: skip

    def post(self, request, pk: int):
        plist = selectors.problem_list_get(actor=request.user, pk=pk)
        try:
            added = services.problem_list_send(actor=request.user, problem_list=plist)
            messages.success(request, _("Sent to %(n)s recipients.") % {"n": added})
        except DomainError as exc:
            messages.error(request, str(exc.message))
        return redirect("inspections:problem_list_detail", pk=plist.pk)


class RecipientDetailView(PageMixin, View):
    permission_required = "inspections.view_problemanswer"

    def get(self, request, pk: int, error=None, status=200):
        recipient = selectors.recipient_get(actor=request.user, pk=pk)
        answers = selectors.answers_for_recipient(actor=request.user, recipient=recipient)
        progress = answers.aggregate(
            total=Count("id"), answered=Count("id", filter=~Q(status=AnswerStatus.UNANSWERED))
        )
        answers = list(answers)
        for answer in answers:  # the form shows while the answer may still move (not once present)
            answer.answerable = bool(next_statuses(answer))
        return render(request, "inspections/recipient_detail.html", {
            "recipient": recipient, "answers": answers, "progress": progress, "error": error,
            "can_answer": request.user.has_perm("inspections.change_problemanswer") and not request.user.is_read_only,
            "kinds": ItemKind.choices,
        }, status=status)  # fmt: skip

    def post(self, request, pk: int):
        recipient = selectors.recipient_get(actor=request.user, pk=pk)
        answer = get_object_or_404(ProblemAnswer, pk=request.POST.get("answer") or 0, recipient=recipient)
        items = []
        if request.POST.get("item_description"):
            items.append({
                "description": request.POST["item_description"], "deadline": request.POST.get("item_deadline") or None,
                "kind": request.POST.get("item_kind") or ItemKind.COMMON,
            })  # fmt: skip
        try:
            services.problem_answer_set(
                actor=request.user, answer=answer, status=request.POST.get("status", ""),
                note=request.POST.get("note", ""), items=items,
            )  # fmt: skip
        except DomainError as exc:
            return self.get(request, pk, error=f"{answer.problem.number}: {exc.message}", status=400)
        messages.success(request, _("Answer saved."))
        return redirect(
            reverse("inspections:recipient_detail", args=[recipient.pk]) + f"#p{answer.problem.number}"
        )
