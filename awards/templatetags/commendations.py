import datetime

from django import template
from django.utils.translation import get_language

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
