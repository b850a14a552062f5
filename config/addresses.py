"""The client's address, the one rule for every limit kept per client (sign-in, public comments).

Behind `TRUSTED_PROXY_COUNT` proxies, each proxy appends to `X-Forwarded-For` the address it was
reached from, so the client is the entry that many places from the right; whatever stands
further left was written by the client and may be forged. With no trusted proxy (the default),
the header is ignored and the connection's own address is the client.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def client_address(request: HttpRequest) -> str | None:
    """The client's IP address: from `X-Forwarded-For` through the trusted proxies only,
    else `REMOTE_ADDR` (also when the header is shorter than the chain of proxies, which
    means the request did not come through them, or when its entry is not an address)."""
    remote = request.META.get("REMOTE_ADDR")
    count = settings.TRUSTED_PROXY_COUNT
    if count == 0:
        return remote
    header = request.META.get("HTTP_X_FORWARDED_FOR", "")
    forwarded = [part.strip() for part in header.split(",") if part.strip()]
    if len(forwarded) < count:
        return remote
    try:
        return str(ipaddress.ip_address(forwarded[-count]))
    except ValueError:
        return remote
