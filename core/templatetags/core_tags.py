from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django import template

from core.logging import mask_id_numbers

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
    return mask_id_numbers(str(value or ""))


@register.filter
def percent(value, digits: int = 1) -> str:
    if value is None:
        return "—"
    return f"{Decimal(str(value)) * 100:.{int(digits)}f}%"
