from django import template

from config.numbers import format_number

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


@register.filter
def number(value) -> str:
    """A number in the page's language, at most two decimals, trailing zeros dropped:
    `1.234,5` in Vietnamese, `1,234.5` in English; "—" when there is none."""
    return format_number(value) or "—"


@register.filter
def number_input(value) -> str:
    """A number as the page's number boxes read it back (no thousands separator): `1234,5`."""
    return format_number(value, grouping=False)


@register.filter
def percent(ratio) -> str:
    """A ratio 0–1 as a whole percentage ("85 %"), or a dash when there is none."""
    if ratio is None or ratio == "":
        return "—"
    return f"{round(float(ratio) * 100)} %"


HEAT_STEPS = ((0.5, "heat-1"), (0.7, "heat-2"), (0.85, "heat-3"), (0.95, "heat-4"))


@register.filter
def heat(ratio) -> str:
    """The heat-map colour class of a ratio: heat-1 (below 50 %) … heat-5 (95 % and more)."""
    if ratio is None or ratio == "":
        return "heat-none"
    for bound, css in HEAT_STEPS:
        if ratio < bound:
            return css
    return "heat-5"


@register.filter
def ratio_value(ratio) -> str:
    """A ratio as <progress>/<meter> wants it (dot decimal, never localised)."""
    return "0" if ratio is None else f"{float(ratio):.4f}"


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if mapping else None


@register.simple_tag
def campaigns_to_pick(current):
    """The launched campaigns a dashboard may switch to (one query), the latest first."""
    from campaigns.models import Campaign

    return list(
        Campaign.objects.exclude(status=Campaign.Status.DRAFT)
        .exclude(pk=current.pk)
        .order_by("-starts_on")
        .only("code", "title", "title_en")
    )
