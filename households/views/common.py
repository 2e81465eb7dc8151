"""What the household pages share: service errors beside their fields, member rows from the formset, badges."""

from __future__ import annotations

from core.exceptions import DomainError

from ..models import HouseholdStatus
from ..validation import HOUSEHOLD_FIELDS

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def apply_errors(error: DomainError, form, formset=None, index_map: list[int] | None = None) -> None:
    """Put a service's refusal beside the right field of the form or member row ("members.2.name")."""
    for key, msgs in error.as_dict().items():
        if key.startswith("members.") and formset is not None:
            _prefix, index, *rest = key.split(".")
            target = formset.forms[index_map[int(index)] if index_map else int(index)]
            field = rest[0] if rest and rest[0] in target.fields else None
        else:
            target, field = form, key if key in form.fields else None
        for message in msgs:
            target.add_error(field, message)


def _members_from(formset) -> tuple[list[dict], list[int]]:
    members, index_map = [], []
    for i, f in enumerate(formset.forms):
        if not f.has_changed() and not f.cleaned_data.get("id"):
            continue
        data = {
            k: v
            for k, v in f.cleaned_data.items()
            if v not in (None, "") or k in ("is_active", "migrant_worker")
        }
        if not data.get("id"):
            data.pop("id", None)
            data["is_active"] = True
        members.append(data)
        index_map.append(i)
    return members, index_map


def _household_data(form) -> dict:
    return {k: form.cleaned_data[k] for k in HOUSEHOLD_FIELDS if k in form.cleaned_data}


STATUS_BADGES = {
    HouseholdStatus.REGISTERED: "badge-warn",
    HouseholdStatus.APPLYING: "badge-info",
    HouseholdStatus.EXITED: "badge-ok",
    HouseholdStatus.RETURNED: "badge-bad",
}
