"""Account pages: one's own password and API tokens; an administrator's people and service
accounts; the reveal log of administrators and auditors."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from . import selectors, services
from .exceptions import DomainError
from .forms import (
    PasswordChangeForm,
    RevealFilterForm,
    ServiceAccountForm,
    TemporaryPasswordForm,
    TokenIssueForm,
    UserCreateForm,
)
from .models import Region
from .web import PageMixin, add_domain_error, paginate, querystring_without

# --- one's own account ---------------------------------------------------------------------------


class OwnAccountMixin(LoginRequiredMixin):
    """Any logged-in person, read-only roles included: a leader changes their own password too."""


class PasswordChangeView(OwnAccountMixin, View):
    template = "core/password_change.html"

    def get(self, request):
        return render(request, self.template, {"form": PasswordChangeForm()})

    def post(self, request):
        form = PasswordChangeForm(request.POST)
        if form.is_valid():
            try:
                user = services.user_password_change(
                    user=request.user,
                    old_password=form.cleaned_data["old_password"],
                    new_password=form.cleaned_data["new_password1"],
                )
            except DomainError as error:
                add_domain_error(form, error)
            else:
                update_session_auth_hash(request, user)  # this session goes on; the others end
                messages.success(request, _("Your password has been changed."))
                return redirect("home")
        return render(request, self.template, {"form": form}, status=400)


class TokenListView(OwnAccountMixin, View):
    """Your API tokens: list, issue (password re-entered; the key is shown once), revoke."""

    template = "core/token_list.html"

    def _render(self, request, form, *, key=None, status=200):
        tokens = selectors.api_token_list(owner=request.user)[:100]
        context = {"form": form, "tokens": tokens, "key": key, "now": timezone.now()}
        return render(request, self.template, context, status=status)

    def get(self, request):
        return self._render(request, TokenIssueForm())

    def post(self, request):
        form = TokenIssueForm(request.POST)
        if form.is_valid():
            try:
                _token, raw = services.api_token_issue(actor=request.user, **form.cleaned_data)
            except DomainError as error:
                add_domain_error(form, error)
            else:
                return self._render(request, TokenIssueForm(), key=raw)
        return self._render(request, form, status=400)


class TokenRevokeView(OwnAccountMixin, View):
    def post(self, request, pk: int):
        token = get_object_or_404(selectors.api_token_list(owner=request.user), pk=pk)
        services.api_token_revoke(token=token, actor=request.user)
        messages.success(request, _("The token has been revoked."))
        return redirect("accounts:token_list")


# --- an administrator's accounts -------------------------------------------------------------------


def _regions(request):
    return selectors.region_choices(actor=request.user)


def _region(request, code: str) -> Region:
    return get_object_or_404(_regions(request), code=code)


class UserListView(PageMixin, View):
    permission_required = "core.view_user"

    def get(self, request):
        q = request.GET.get("q", "").strip()
        page = paginate(request, selectors.account_list(actor=request.user, search=q))
        context = {"page": page, "q": q, "querystring": querystring_without(request, "page")}
        return render(request, "core/user_list.html", context)


class UserCreateView(PageMixin, View):
    permission_required = "core.add_user"

    def _form(self, request, data=None):
        roles = services.assignable_roles(request.user)
        return UserCreateForm(data, regions=_regions(request), roles=roles)

    def get(self, request):
        return render(request, "core/user_create.html", {"form": self._form(request)})

    def post(self, request):
        form = self._form(request, request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                user = services.user_create(
                    actor=request.user,
                    username=data["username"],
                    full_name=data["full_name"],
                    region=_region(request, data["region"]),
                    roles=data["roles"],
                    password=data["password1"],
                )
            except DomainError as error:
                add_domain_error(form, error)
            else:
                messages.success(
                    request, _("Account created. The person must change the password at first log-in.")
                )
                return redirect("core:user_detail", pk=user.pk)
        return render(request, "core/user_create.html", {"form": form}, status=400)


class UserDetailView(PageMixin, View):
    permission_required = "core.view_user"

    def get(self, request, pk: int):
        account = selectors.account_get(actor=request.user, pk=pk)
        return render(request, "core/user_detail.html", {"account": account, "form": TemporaryPasswordForm()})


class UserPasswordResetView(PageMixin, View):
    permission_required = "core.change_user"

    def post(self, request, pk: int):
        account = selectors.account_get(actor=request.user, pk=pk)
        form = TemporaryPasswordForm(request.POST)
        if form.is_valid():
            try:
                services.user_password_reset(
                    actor=request.user, user=account, password=form.cleaned_data["password1"]
                )
            except DomainError as error:
                add_domain_error(form, error)
            else:
                messages.success(request, _("Password reset. The person must change it at next log-in."))
                return redirect("core:user_detail", pk=account.pk)
        return render(request, "core/user_detail.html", {"account": account, "form": form}, status=400)


class UserActiveView(PageMixin, View):
    """POST active=0 deactivates (sessions end, tokens are revoked), active=1 reactivates."""

    permission_required = "core.change_user"

    def post(self, request, pk: int):
        service = request.POST.get("service_account") == "1"
        account = selectors.account_get(actor=request.user, pk=pk, service_account=service)
        active = request.POST.get("active") == "1"
        try:
            services.user_set_active(actor=request.user, user=account, active=active)
        except DomainError as error:
            messages.error(request, str(error.message))
        else:
            messages.success(request, _("Account reactivated.") if active else _("Account deactivated."))
        return redirect("core:service_account_detail" if service else "core:user_detail", pk=account.pk)


class ServiceAccountListView(PageMixin, View):
    permission_required = "core.view_user"

    def get(self, request):
        page = paginate(request, selectors.account_list(actor=request.user, service_accounts=True))
        return render(request, "core/service_account_list.html", {"page": page, "querystring": ""})


class ServiceAccountCreateView(PageMixin, View):
    permission_required = "core.add_user"

    def get(self, request):
        form = ServiceAccountForm(regions=_regions(request))
        return render(request, "core/service_account_create.html", {"form": form})

    def post(self, request):
        form = ServiceAccountForm(request.POST, regions=_regions(request))
        if form.is_valid():
            data = form.cleaned_data
            try:
                account = services.service_account_create(
                    actor=request.user,
                    username=data["username"],
                    full_name=data["full_name"],
                    region=_region(request, data["region"]),
                )
            except DomainError as error:
                add_domain_error(form, error)
            else:
                messages.success(request, _("Service account created. Issue it a token below."))
                return redirect("core:service_account_detail", pk=account.pk)
        return render(request, "core/service_account_create.html", {"form": form}, status=400)


class ServiceAccountDetailView(PageMixin, View):
    """A service account, its tokens, and the form that issues one (the administrator's password)."""

    permission_required = "core.view_user"
    template = "core/service_account_detail.html"

    def _render(self, request, account, form, *, key=None, status=200):
        tokens = selectors.api_token_list(owner=account)[:100]
        context = {"account": account, "form": form, "tokens": tokens, "key": key, "now": timezone.now()}
        return render(request, self.template, context, status=status)

    def get(self, request, pk: int):
        account = selectors.account_get(actor=request.user, pk=pk, service_account=True)
        return self._render(request, account, TokenIssueForm())

    def post(self, request, pk: int):
        if not request.user.has_perm("core.change_user"):
            from django.core.exceptions import PermissionDenied

            raise PermissionDenied
        account = selectors.account_get(actor=request.user, pk=pk, service_account=True)
        form = TokenIssueForm(request.POST)
        if form.is_valid():
            try:
                _token, raw = services.api_token_issue(actor=request.user, owner=account, **form.cleaned_data)
            except DomainError as error:
                add_domain_error(form, error)
            else:
                return self._render(request, account, TokenIssueForm(), key=raw)
        return self._render(request, account, form, status=400)


class ServiceAccountTokenRevokeView(PageMixin, View):
    permission_required = "core.change_user"

    def post(self, request, pk: int, token_pk: int):
        account = selectors.account_get(actor=request.user, pk=pk, service_account=True)
        token = get_object_or_404(selectors.api_token_list(owner=account), pk=token_pk)
        services.api_token_revoke(token=token, actor=request.user)
        messages.success(request, _("The token has been revoked."))
        return redirect("core:service_account_detail", pk=account.pk)


# --- the reveal log ---------------------------------------------------------------------------------


class RevealListView(PageMixin, View):
    """Who saw which full ID number, when, where: for administrators and auditors, their region only."""

    permission_required = "core.view_sensitiveaccess"

    def get(self, request):
        form = RevealFilterForm(request.GET or None)
        if form.is_bound and not form.is_valid():
            rows, status = selectors.reveal_list(actor=request.user).none(), 400
        else:
            data = form.cleaned_data if form.is_bound else {}
            rows, status = (
                selectors.reveal_list(
                    actor=request.user,
                    user=data.get("user") or None,
                    date_from=data.get("date_from"),
                    date_to=data.get("date_to"),
                    household_id=data.get("household"),
                ),
                200,
            )
        page = paginate(request, rows)
        context = {"form": form, "page": page, "querystring": querystring_without(request, "page")}
        return render(request, "core/reveal_list.html", context, status=status)
