from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django import template
from django.utils.html import format_html_join

from core.pii import mask_id_numbers, mask_public_text

register = template.Library()


@register.filter
def yuan(value) -> str:
    """12345.6 → 12,345.60 (yuan: thousands separators, two decimals, exact)."""
    if value is None or value == "":
        return "—"
    try:
        amount = Decimal(str(value)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    except InvalidOperation:
        return str(value)
    return f"{amount:,.2f}"


@register.filter
def masked(value) -> str:
    """Free text with every ID number in it masked (core.pii.mask_id_numbers)."""
    return mask_id_numbers(str(value or ""))


@register.filter
def masked_public(value) -> str:
    """Free text shown without login: ID numbers and mobile numbers masked."""
    return mask_public_text(str(value or ""))


@register.filter
def percent(value, digits: int = 1) -> str:
    if value is None:
        return "—"
    return f"{Decimal(str(value)) * 100:.{int(digits)}f}%"


@register.simple_tag
def options(choices, selected="") -> str:
    """`<option>`s of a filter select in one pass: `choices` are (value, label) pairs or regions.

    A county clerk's filters list some 240 townships and villages; rendered by a template loop
    they cost more than the page's queries (issue 9)."""
    selected = "" if selected is None else str(selected)

    def rows():
        for choice in choices:
            value, label = (choice.code, choice.name) if hasattr(choice, "code") else choice
            value = str(value)
            yield value, " selected" if value == selected else "", label

    return format_html_join("", '<option value="{}"{}>{}</option>', rows())


@register.filter
def role_label(code) -> str:
    """A role's name in the user's language (groups are named by the role's code)."""
    from core.models import Role

    return str(dict(Role.choices).get(str(code), code))


@register.filter
def query_without(querystring: str, key: str) -> str:
    """An urlencoded query without one parameter (`per_page` when offering other page sizes)."""
    from urllib.parse import parse_qsl, urlencode

    return urlencode([(k, v) for k, v in parse_qsl(querystring or "", keep_blank_values=True) if k != key])


PAGE_SIZES = (20, 50, 100, 200)  # what core.web.paginate accepts (10–200)


@register.simple_tag
def page_sizes() -> tuple[int, ...]:
    return PAGE_SIZES


@register.filter
def sort_link(sorting, key: str) -> str:
    """A sortable column's link (core.web.Sorting)."""
    return sorting.link(key) if sorting else ""


@register.filter
def sort_state(sorting, key: str) -> str:
    return sorting.state(key) if sorting else "none"
