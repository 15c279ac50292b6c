"""The Redis cache, made to survive Redis being down: a failed cache call is logged and treated as a miss,
so pages, the portal and the admin keep working (sessions are in the database). While Redis is down the
login rate limits, which count in the cache, are not enforced; /healthz reports the cache as down."""

import functools
import logging

from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)
_DOWN = (RedisConnectionError, RedisTimeoutError)


def _tolerant(default_factory):
    def wrap(method):
        @functools.wraps(method)
        def inner(self, *args, **kwargs):
            try:
                return method(self, *args, **kwargs)
            except _DOWN as exc:
                logger.warning(
                    "cache unavailable (%s): %s treated as a miss", type(exc).__name__, method.__name__
                )
                return default_factory(args, kwargs)

        return inner

    return wrap


def _default(args, kwargs):
    return kwargs.get("default", args[1] if len(args) > 1 else None)


class _ReusedClient(RedisCacheClient):
    """Django makes a new redis.Redis object for every cache call (a third of a cache hit's time); one per
    connection pool does the same work (redis.Redis is thread-safe; it takes a pooled connection per
    command)."""

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        clients = self.__dict__.setdefault("_clients", {})
        client = clients.get(id(pool))
        if client is None:
            client = clients[id(pool)] = self._client(connection_pool=pool)
        return client


class ResilientRedisCache(RedisCache):
    def __init__(self, server, params):
        options = params.setdefault("OPTIONS", {})
        options.setdefault("socket_connect_timeout", 1)
        options.setdefault("socket_timeout", 2)
        super().__init__(server, params)
        self._class = _ReusedClient

    get = _tolerant(_default)(RedisCache.get)
    set = _tolerant(lambda a, k: None)(RedisCache.set)
    # add() answers True: callers use it as a lock (allauth's rate limits) and must not wait for a dead cache.
    add = _tolerant(lambda a, k: True)(RedisCache.add)
    touch = _tolerant(lambda a, k: False)(RedisCache.touch)
    delete = _tolerant(lambda a, k: False)(RedisCache.delete)
    get_many = _tolerant(lambda a, k: {})(RedisCache.get_many)
    has_key = _tolerant(lambda a, k: False)(RedisCache.has_key)
    set_many = _tolerant(lambda a, k: list(a[0]) if a else [])(RedisCache.set_many)
    delete_many = _tolerant(lambda a, k: None)(RedisCache.delete_many)
    clear = _tolerant(lambda a, k: False)(RedisCache.clear)

    def validate_key(self, key: str) -> None:
        """Nothing to check: Redis takes any key of any length. Django's check is memcached's (length,
        spaces, control characters), a regular expression over every key of every call that only warns:
        a few microseconds a key, nine keys for each page answered from the cache."""

    def add_get_many(self, mapping: dict, timeout=None) -> dict:
        """`add()` of each integer value, then the value each key holds (its own, or one an earlier writer
        added), in one round trip: first versions for many keys at once (empowerment.freshness). Integers
        are stored as they are (Django's serializer keeps them plain), so `get()` reads them back."""
        keys = {self.make_and_validate_key(k): k for k in mapping}
        expiry = self.get_backend_timeout(timeout)
        try:
            client = self._cache.get_client(write=True)
            with client.pipeline(transaction=False) as pipe:
                for full, name in keys.items():
                    pipe.set(full, int(mapping[name]), nx=True, ex=expiry)
                pipe.mget(list(keys))
                values = pipe.execute()[-1]
        except _DOWN:
            logger.warning("cache unavailable: add_get_many treated as a miss")
            return dict.fromkeys(mapping, 0)
        return {
            name: int(value) if value is not None else 0
            for name, value in zip(keys.values(), values, strict=True)
        }

    def add_and_get_many(self, add_key: str, value, timeout, keys: list) -> tuple[bool, dict]:
        """`add(add_key, value, timeout)` and `get_many(keys)` in one round trip (a render's lock and the
        versions it reads first, empowerment.pagecache)."""
        full = {self.make_and_validate_key(k): k for k in keys}
        serializer = self._cache._serializer
        try:
            client = self._cache.get_client(write=True)
            with client.pipeline(transaction=False) as pipe:
                pipe.set(
                    self.make_and_validate_key(add_key),
                    serializer.dumps(value),
                    ex=self.get_backend_timeout(timeout),
                    nx=True,
                )
                pipe.mget(list(full))
                added, values = pipe.execute()
        except _DOWN:
            logger.warning("cache unavailable: add_and_get_many treated as a miss")
            return True, {}
        found = {
            name: serializer.loads(v) for name, v in zip(full.values(), values, strict=True) if v is not None
        }
        return bool(added), found

    def count_and_get_many(self, count_key: str, timeout: int, keys: list) -> tuple[int, dict]:
        """Count one more under `count_key` (which starts at 0 and lives `timeout` seconds from the first
        count, as `add(count_key, 0, timeout)` then `incr(count_key)` would) and `get_many(keys)`, in one
        round trip: a read API answer's rate limit and what it reads to be answered from the cache
        (api.middleware). With Redis down: a count of 0 (not limited, as `incr` on a dead cache) and
        nothing found."""
        full = {self.make_and_validate_key(k): k for k in keys}
        serializer = self._cache._serializer
        try:
            client = self._cache.get_client(write=True)
            with client.pipeline(transaction=False) as pipe:
                counted = self.make_and_validate_key(count_key)
                pipe.set(counted, 0, ex=int(timeout), nx=True)
                pipe.incr(counted)
                pipe.mget(list(full))
                _added, count, values = pipe.execute()
        except _DOWN:
            logger.warning("cache unavailable: count_and_get_many treated as a miss")
            return 0, {}
        found = {
            name: serializer.loads(v) for name, v in zip(full.values(), values, strict=True) if v is not None
        }
        return int(count), found

    def set_and_delete(self, key: str, value, timeout, delete_key: str) -> None:
        """`set(key, value, timeout)` then `delete(delete_key)` in one round trip (a rendered page stored
        and its render's lock let go, empowerment.pagecache)."""
        try:
            client = self._cache.get_client(write=True)
            with client.pipeline(transaction=False) as pipe:
                pipe.set(
                    self.make_and_validate_key(key),
                    self._cache._serializer.dumps(value),
                    ex=self.get_backend_timeout(timeout),
                )
                pipe.delete(self.make_and_validate_key(delete_key))
                pipe.execute()
        except _DOWN:
            logger.warning("cache unavailable: set_and_delete of %s treated as a miss", key)

    def incr(self, key, delta=1, version=None):
        try:
            return super().incr(key, delta, version)
        except _DOWN:
            logger.warning("cache unavailable: incr of %s treated as a miss", key)
            raise ValueError(f"Key '{key}' not found (cache unavailable)") from None
