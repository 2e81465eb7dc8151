"""Shared helpers for HTML views: permission + read-only checks, domain errors on forms."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator

from .exceptions import DomainError

SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}


class PageMixin(LoginRequiredMixin, PermissionRequiredMixin):
    """Login, the role's permission, and no writes from read-only roles (leaders)."""

    raise_exception = True
    permission_required: str | tuple[str, ...] = ()
    # A POST that only reads (a search whose terms must stay out of the URL): read-only roles may send it.
    post_only_reads = False

    def has_permission(self):
        return not self.permission_required or super().has_permission()

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            # A visitor is sent to log in (and back here after); a logged-in user without the
            # permission gets 403. `raise_exception` would give the visitor a bare 403 page.
            return redirect_to_login(
                request.get_full_path(), self.get_login_url(), self.get_redirect_field_name()
            )
        reads = request.method in SAFE_METHODS or (request.method == "POST" and self.post_only_reads)
        if not reads and request.user.is_read_only:
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


def add_domain_error(form, error: DomainError) -> None:
    """A service's refusal beside the field it names (or above the form when the form has no such field)."""
    for name, messages in error.as_dict().items():
        field = name if name in form.fields else None
        for message in messages:
            form.add_error(field, message)


def paginate(request, queryset, *, per_page: int = 50):
    """Page numbers for HTML lists (the API uses keyset pagination for deep pages)."""
    with contextlib.suppress(ValueError):
        per_page = max(10, min(int(request.GET.get("per_page", per_page)), 200))
    paginator = Paginator(queryset, per_page)
    return paginator.get_page(request.GET.get("page"))


@dataclass(frozen=True)
class Sorting:
    """A list's order chosen by its column headers (`?sort=deadline`, `?sort=-deadline`): the key
    asked for if the list allows it, else the list's default; `querystring` keeps the filters."""

    key: str
    descending: bool
    querystring: str

    def link(self, key: str) -> str:
        """The header's link: this column ascending, or descending when it is already ascending."""
        order = f"-{key}" if self.key == key and not self.descending else key
        return f"?{self.querystring}{'&' if self.querystring else ''}sort={order}"

    def state(self, key: str) -> str:
        """`aria-sort` of the column: ascending, descending or none."""
        if self.key != key:
            return "none"
        return "descending" if self.descending else "ascending"


def _sorting(request, allowed, default: str) -> Sorting:
    """The order asked for in `?sort=`, or the default when the list does not allow it."""
    asked = request.GET.get("sort", "")
    key = asked.lstrip("-")
    if key not in allowed:
        asked, key = default, default.lstrip("-")
    return Sorting(key, asked.startswith("-"), querystring_without(request, "page", "sort"))


def sort(request, queryset, allowed: dict[str, tuple], default: str):
    """`queryset` in the order the list's headers ask for (`allowed`: key → fields or expressions,
    e.g. Upper("name") to use an index on it; ties broken by id so pages never overlap); an unknown
    key is the default, never an error a bookmark would hit."""
    sorting = _sorting(request, allowed, default)
    descending = sorting.descending
    fields = [
        (f.desc() if descending else f.asc()) if hasattr(f, "asc") else (f"-{f}" if descending else f)
        for f in allowed[sorting.key]
    ]
    return queryset.order_by(*fields, "-id" if descending else "id"), sorting


def sort_rows(request, rows, allowed: dict[str, Callable], default: str):
    """`sort` for rows already in memory (a small table computed in Python): `allowed` maps each key
    to the row's value; the original order breaks ties. Returns a new list and its Sorting."""
    sorting = _sorting(request, allowed, default)
    value = allowed[sorting.key]
    ordered = sorted(rows, key=lambda r: (value(r) is None, value(r)), reverse=sorting.descending)
    return ordered, sorting


def querystring_without(request, *keys: str) -> str:
    params = request.GET.copy()
    for key in keys:
        params.pop(key, None)
    return params.urlencode()
