from django import template

from blocs.selectors.years import unit_standings

register = template.Library()


@register.simple_tag
def unit_bloc_standings(unit):
    """The unit's score and rank in its bloc over the years (published rankings, one query)."""
    return unit_standings(unit)
