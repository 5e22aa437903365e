"""The cache keeps one Redis client per connection pool instead of building one per command,
and still stores and reads values from any thread."""

import threading

from django.core.cache import cache


def test_every_command_goes_through_the_same_client():
    client = cache._cache

    assert client.get_client() is client.get_client(write=True)


def test_values_written_in_one_thread_are_read_in_others():
    cache.set("redis-cache-test:shared", {"pages": 3}, timeout=30)
    found = []

    def read():
        found.append(cache.get("redis-cache-test:shared"))

    threads = [threading.Thread(target=read) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    cache.delete("redis-cache-test:shared")

    assert found == [{"pages": 3}] * 4
    assert cache.get("redis-cache-test:shared") is None
