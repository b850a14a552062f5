"""Django's Redis cache, made to degrade: with Redis unreachable, the app reads the database.

Two changes to `django.core.cache.backends.redis.RedisCache`:

1. When Redis errors (down, unreachable, too slow), a read answers a miss and a write or a
   delete is skipped, so what would have come from the cache is computed from the database and
   no page fails for it. Redis is then left alone for `PAUSE_SECONDS`, so a Redis that does not
   answer costs one timeout now and then, not one per call; the warning is logged at most every
   `WARNING_SECONDS` per process. A delete skipped during an outage leaves a value cached
   before it until its own timeout: every value cached here is short-lived (roles, the bell's
   count) or keyed by what it depends on (report pages).
2. One Redis client per connection pool instead of one per call:
   `django.core.cache.backends.redis.RedisCacheClient.get_client` builds a new `redis.Redis`
   for every cache operation; building one fills its table of response callbacks (a few
   hundred entries), which costs more than the round trip of a small `GET`. A `redis.Redis` is
   safe to share between threads (each command borrows a connection from the pool), so the
   client is made once per pool and kept.
"""

from __future__ import annotations

import logging
import time

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient as DjangoRedisCacheClient
from redis import RedisError

logger = logging.getLogger(__name__)

PAUSE_SECONDS = 5
WARNING_SECONDS = 60
_MISSING = object()


class RedisCacheClient(DjangoRedisCacheClient):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._clients: dict[int, object] = {}

    def get_client(self, key=None, *, write=False):
        index = self._get_connection_pool_index(write)
        client = self._clients.get(index)
        if client is None:
            client = self._clients[index] = self._client(
                connection_pool=self._get_connection_pool(write)
            )
        return client


class RedisCache(DjangoRedisCache):
    def __init__(self, server, params) -> None:
        super().__init__(server, params)
        self._class = RedisCacheClient
        self._paused_until = 0.0
        self._warned_at: float | None = None

    def _guarded(self, fallback, operation, *args):
        """`operation(*args)`, or `fallback` when Redis errors or is paused after an error."""
        now = time.monotonic()
        if now < self._paused_until:
            return fallback
        try:
            return operation(*args)
        except RedisError as error:
            self._paused_until = now + PAUSE_SECONDS
            if self._warned_at is None or now - self._warned_at >= WARNING_SECONDS:
                self._warned_at = now
                logger.warning(
                    "The Redis cache is unavailable (%s: %s): values are computed from the "
                    "database and not cached until it answers again.",
                    error.__class__.__name__,
                    error,
                )
            return fallback

    def ping(self) -> bool:
        """Whether Redis answers now, asked even during a pause (for /healthz)."""
        try:
            return bool(self._cache.get_client(write=True).ping())
        except RedisError:
            return False

    # Reads answer a miss.
    def get(self, key, default=None, version=None):
        return self._guarded(default, super().get, key, default, version)

    def get_many(self, keys, version=None):
        return self._guarded({}, super().get_many, keys, version)

    def has_key(self, key, version=None):
        return self._guarded(False, super().has_key, key, version)

    def incr(self, key, delta=1, version=None):
        value = self._guarded(_MISSING, super().incr, key, delta, version)
        if value is _MISSING:
            raise ValueError(f"Key '{key}' not found.")  # what a missing key raises
        return value

    # Writes and deletes are skipped.
    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._guarded(False, super().add, key, value, timeout, version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        self._guarded(None, super().set, key, value, timeout, version)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._guarded(list(data), super().set_many, data, timeout, version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._guarded(False, super().touch, key, timeout, version)

    def delete(self, key, version=None):
        return self._guarded(False, super().delete, key, version)

    def delete_many(self, keys, version=None):
        self._guarded(None, super().delete_many, keys, version)

    def clear(self):
        return self._guarded(False, super().clear)
