from django.apps import apps
from django.urls import NoReverseMatch, reverse


def navigation(request):
    """Navigation by role: each app lists its entries; a user sees those they may open."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
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
                {"label": item["label"], "url": url, "active": request.path.startswith(url) and url != "/"}
            )
    return {"nav_items": items}
