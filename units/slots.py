"""Places in a lower app's pages where a higher app adds its part.

A page of campaigns (the home page, the unit page, the dashboard) may show what the awards
app knows, but campaigns may not depend on awards: the page names a slot, and the app that
has something to show there registers a template for it at start-up (its AppConfig.ready).
The templates are included in registration order with the page's context.
"""

from __future__ import annotations

from collections import defaultdict

_slots: dict[str, list[str]] = defaultdict(list)


def register_slot_template(slot: str, template: str) -> None:
    if template not in _slots[slot]:
        _slots[slot].append(template)


def slot_templates(slot: str) -> list[str]:
    return list(_slots.get(slot, ()))
