import datetime

from django import template
from django.utils.translation import get_language, ngettext

register = template.Library()


@register.filter
def in_language(texts) -> str:
    """{{ line.reason|in_language }}: a text stored in every language, in the current one."""
    if not isinstance(texts, dict):
        return texts or ""
    language = (get_language() or "vi").split("-")[0]
    return texts.get(language) or texts.get("vi") or next(iter(texts.values()), "")


@register.filter
def iso_datetime(value: str):
    """Reads a datetime stored as ISO text (in a JSON snapshot) for the |date filter."""
    try:
        return datetime.datetime.fromisoformat(value)
    except (TypeError, ValueError):
        return None


@register.filter
def eligibility_badge(nomination) -> str:
    """The eligibility badge of a nomination (or of one of its steps): "Fails 2 rules" counts
    the rules its snapshot found not met, instead of saying "a rule" whatever their number."""
    outcome = nomination.eligibility_outcome
    if outcome != "not_met":
        return nomination.get_eligibility_outcome_display()
    lines = (nomination.eligibility or {}).get("lines", [])
    failed = sum(1 for line in lines if line.get("outcome") == "not_met")
    if not failed:
        return nomination.get_eligibility_outcome_display()
    return ngettext("Fails %(count)s rule", "Fails %(count)s rules", failed) % {"count": failed}
