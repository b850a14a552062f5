"""Helpers shared by the tests: signing in as a role of the cast, checking an answer, racing
threads against the real database."""

from __future__ import annotations

import threading
from collections.abc import Callable

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
