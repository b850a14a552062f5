"""Mail backends for delivery tests: one that fails on demand, one that records in the DB."""

from __future__ import annotations

import time

from django.core.mail.backends import locmem
from django.core.mail.backends.base import BaseEmailBackend
from django.db import connection


class Crash(BaseException):
    """Stands for the process dying mid-send: not an Exception, so nothing catches it."""


class FlakyBackend(locmem.EmailBackend):
    """The test backend (mail.outbox), except for addresses told to fail with an error."""

    failures: dict[str, BaseException] = {}

    def send_messages(self, messages):
        for message in messages:
            error = self.failures.get(message.to[0])
            if error is not None:
                raise error
        return super().send_messages(messages)


class RecordingBackend(BaseEmailBackend):
    """Writes each message to the table test_outbox through Django's connection, i.e. inside
    the delivery's transaction, and takes a little time doing it, so that a worker killed
    mid-batch is likely to die in the middle of a delivery (used by the real-worker test)."""

    delay = 0.05

    def send_messages(self, messages):
        with connection.cursor() as cursor:
            for message in messages:
                time.sleep(self.delay)
                cursor.execute(
                    "INSERT INTO test_outbox (message_id, recipient) VALUES (%s, %s)",
                    [message.extra_headers["Message-ID"], message.to[0]],
                )
        return len(messages)
