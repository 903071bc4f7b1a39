"""The Redis cache, degraded rather than failing: when Redis is down, reads miss and writes are dropped.

Everything HOM keeps in the cache can be computed again (report tables, an import's
progress), so an unreachable Redis must cost time, never a page: each call gives up after
``socket_timeout`` seconds (settings), logs a warning and answers like an empty cache.
``/healthz`` still reports the broker down.
"""
import logging

from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

UNREACHABLE = (RedisConnectionError, RedisTimeoutError, OSError)


def _degraded(name, fallback):
    def method(self, *args, **kwargs):
        try:
            return getattr(super(FaultTolerantRedisCache, self), name)(*args, **kwargs)
        except UNREACHABLE as error:
            logger.warning("Cache unreachable (%s): %s answered without it", error, name)
            return fallback() if callable(fallback) else fallback

    method.__name__ = name
    return method


class FaultTolerantRedisCache(RedisCache):
    def get(self, key, default=None, version=None):
        try:
            return super().get(key, default, version)
        except UNREACHABLE as error:
            logger.warning("Cache unreachable (%s): get answered without it", error)
            return default

    get_many = _degraded("get_many", dict)
    has_key = _degraded("has_key", False)
    set = _degraded("set", None)
    set_many = _degraded("set_many", list)
    add = _degraded("add", False)
    touch = _degraded("touch", False)
    delete = _degraded("delete", False)
    delete_many = _degraded("delete_many", None)
    clear = _degraded("clear", False)
