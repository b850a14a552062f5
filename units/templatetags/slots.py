from django import template

from units.slots import slot_templates

register = template.Library()


@register.filter
def slot(name: str) -> list[str]:
    """The templates registered for a slot: `{% for t in "unit_page"|slot %}{% include t %}`."""
    return slot_templates(name)
