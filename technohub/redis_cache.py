"""The cache backend: Django's Redis cache, with one Redis client per connection pool.

Django's own backend wraps the shared connection pool in a new ``redis.Redis`` for every
command, and building one (it fills in some 170 response callbacks) took a tenth of the time
of a page served from the page cache (profiled for ``make bench``). A ``redis.Redis`` may be
shared between threads: its pool gives each command a connection of its own, and starts afresh
in a forked process.
"""

from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient


class _OneClientPerPool(RedisCacheClient):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._clients: dict[int, object] = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class RedisCache(DjangoRedisCache):
    """``django.core.cache.backends.redis.RedisCache`` that keeps its Redis clients."""

    def __init__(self, server, params) -> None:
        super().__init__(server, params)
        self._class = _OneClientPerPool
