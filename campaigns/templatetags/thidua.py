from django import template

register = template.Library()


@register.filter
def localized(obj, field: str) -> str:
    """{{ objective|localized:"title" }}: the English variant when the interface is English."""
    return obj.localized(field) if obj is not None else ""


@register.filter
def is_open_on(unit, day) -> bool:
    return unit.is_open_on(day)


@register.filter
def plain_number(value) -> str:
    """A Decimal as an <input type=number> wants it: dot, no trailing zeros, no exponent."""
    if value is None or value == "":
        return ""
    return format(value.normalize(), "f")
