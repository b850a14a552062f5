"""Links that keep a page's state in its query string."""

from __future__ import annotations

from urllib.parse import urlencode

from django.http import HttpRequest, QueryDict


def query_with(request: HttpRequest, **changes) -> str:
    """The current URL's query string with some parameters changed (None removes one), in a
    stable order so that the same state always gives the same link."""
    query: QueryDict = request.GET.copy()
    for key, value in changes.items():
        if value is None:
            query.pop(key, None)
        else:
            query[key] = str(value)
    return "?" + urlencode(sorted(query.items()))
