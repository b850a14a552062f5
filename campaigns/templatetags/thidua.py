from django import template

register = template.Library()


@register.filter
def localized(obj, field: str) -> str:
    """{{ objective|localized:"title" }}: the English variant when the interface is English."""
    return obj.localized(field) if obj is not None else ""


@register.filter
def is_open_on(unit, day) -> bool:
    return unit.is_open_on(day)
