"""Helpers shared by the tests: signing in as a role of the cast, checking an answer, racing
threads against the real database."""

from __future__ import annotations

import threading
from collections.abc import Callable
from html.parser import HTMLParser

from django.db import connection


def client_as(client, users: dict, role: str):
    """The test client signed in as `users[role]`, or left anonymous for "anonymous"."""
    if role != "anonymous":
        client.force_login(users[role])
    return client


def assert_status(response, expected: int | str) -> None:
    """`expected` is a status code, or "login" for a redirect to the sign-in page."""
    if expected == "login":
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    else:
        assert response.status_code == expected, response.status_code


def race(target: Callable[[int], object], count: int = 2) -> list:
    """Run `target(0)` … `target(count - 1)` in threads released together by a barrier, each
    on its own database connection; answers what each returned or raised."""
    barrier = threading.Barrier(count)
    results: list = [None] * count

    def run(index: int) -> None:
        barrier.wait()
        try:
            results[index] = target(index)
        except BaseException as error:  # collected and asserted by the test
            results[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


class _FormReader(HTMLParser):
    """What a browser submits for the form whose `action` is given: every named input, the
    selected options (the first option when none is selected, as a browser does), textareas."""

    def __init__(self, action: str) -> None:
        super().__init__(convert_charrefs=True)
        self.action, self.inside, self.data = action, False, []
        self._select: tuple[str, list, list] | None = None
        self._option: dict | None = None
        self._textarea: tuple[str, list] | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.inside = attrs.get("action", "") == self.action
        if not self.inside:
            return
        name = attrs.get("name")
        if tag == "input" and name and "disabled" not in attrs:
            kind = attrs.get("type", "text")
            if kind in ("checkbox", "radio"):
                if "checked" in attrs:
                    self.data.append((name, attrs.get("value", "on")))
            elif kind not in ("submit", "button", "file", "reset"):
                self.data.append((name, attrs.get("value", "")))
        elif tag == "select" and name:
            self._select = (name, [], [])
        elif tag == "option" and self._select is not None:
            self._option = {
                "value": attrs.get("value"),
                "selected": "selected" in attrs,
                "text": [],
            }
        elif tag == "textarea" and name:
            self._textarea = (name, [])

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1].append(data)
        if self._option is not None:
            self._option["text"].append(data)

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "option" and self._option is not None and self._select is not None:
            option = self._option
            value = option["value"] if option["value"] is not None else "".join(option["text"])
            self._select[1 if option["selected"] else 2].append(value.strip())
            self._option = None
        elif tag == "select" and self._select is not None:
            name, chosen, others = self._select
            self.data.extend((name, value) for value in (chosen or others[:1]))
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            name, parts = self._textarea
            # A browser drops the one line break that follows <textarea>.
            self.data.append((name, "".join(parts).removeprefix("\n")))
            self._textarea = None


def form_as_rendered(html: str, action: str = "") -> dict[str, list[str]]:
    """The data a browser would post for the form with this `action` if the user changed
    nothing (for the test client). `action` is the form's action attribute: "" for a form
    that posts to its own page."""
    reader = _FormReader(action)
    reader.feed(html)
    assert reader.data, f"no form posts to {action}"
    data: dict[str, list[str]] = {}
    for name, value in reader.data:
        data.setdefault(name, []).append(value)
    return data
