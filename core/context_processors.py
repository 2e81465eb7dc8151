from django.apps import apps
from django.urls import NoReverseMatch, reverse
from django.utils.translation import pgettext_lazy

# The menu's sections, in this order: each app names its own (`nav_section` on its AppConfig, or
# `section` on one item); a section shows only when the user may open one of its entries.
SECTIONS = {
    "households": pgettext_lazy("menu section", "Household files"),
    "assistance": pgettext_lazy("menu section", "Assistance"),
    "funds": pgettext_lazy("menu section", "Funds"),
    "inspections": pgettext_lazy("menu section", "Inspections"),
    "accountability": pgettext_lazy("menu section", "Assessment and accountability"),
    "figures": pgettext_lazy("menu section", "Figures"),
    "organisation": pgettext_lazy("menu section", "Organisation and accounts"),
}


def navigation(request):
    """Navigation by role, in a few sections: each app lists its entries; a user sees those they
    may open (`nav_items`, flat) and the same grouped by section (`nav_sections`; the home entry,
    without a section, first)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": [], "nav_sections": []}
    items = []
    for config in apps.get_app_configs():
        for item in getattr(config, "nav_items", []):
            if item["perm"] and not user.has_perm(item["perm"]):
                continue
            try:
                url = reverse(item["url"])
            except NoReverseMatch:
                continue
            items.append(
                {
                    "label": item["label"],
                    "url": url,
                    "active": request.path.startswith(url) and url != "/",
                    "section": item.get("section", getattr(config, "nav_section", None)),
                }
            )
    grouped: dict = {None: []} | {key: [] for key in SECTIONS}
    for item in items:
        grouped.setdefault(item["section"], []).append(item)
    sections = [
        {"key": key, "label": SECTIONS.get(key, ""), "items": entries}
        for key, entries in grouped.items()
        if entries
    ]
    return {"nav_items": items, "nav_sections": sections}
