"""Sessions: written to PostgreSQL, read from the shared cache first (``SESSION_ENGINE``).

Like Django's ``cached_db``, with two differences. A Redis that cannot be reached never fails a
request: the database answers. And a session stays in the cache for at most
``user_cache.SECONDS`` after it was last read from the database or saved, so a session ended
while Redis was unreachable (log-out, erasure), which the cache may still hold when Redis comes
back, lasts no longer than that.
"""

import logging

from django.contrib.sessions.backends.db import SessionStore as DatabaseStore
from django.core.cache import cache

from .user_cache import SECONDS

logger = logging.getLogger(__name__)

_PREFIX = "accounts:session:"


class SessionStore(DatabaseStore):
    def _cache_key(self, session_key: str | None = None) -> str:
        return _PREFIX + (session_key or self._get_or_create_session_key())

    def _remember(self, data: dict, *, expiry=None) -> None:
        """Keep ``data`` for the next request; ``expiry`` when the session is not loaded yet."""
        age = self.get_expiry_age() if expiry is None else self.get_expiry_age(expiry=expiry)
        timeout = min(SECONDS, age)
        try:
            cache.set(self._cache_key(), data, timeout=timeout)
        except Exception:
            logger.warning("Session cache unavailable", exc_info=True)

    def load(self) -> dict:
        try:
            data = cache.get(self._cache_key())
        except Exception:
            logger.warning("Session cache unavailable", exc_info=True)
            data = None
        if data is None:
            row = self._get_session_from_db()  # None when it has expired or never was
            if row is None:
                return {}
            data = self.decode(row.session_data)
            self._remember(data, expiry=row.expire_date)
        return data

    def save(self, must_create: bool = False) -> None:
        super().save(must_create)
        self._remember(self._session)

    def delete(self, session_key: str | None = None) -> None:
        super().delete(session_key)
        session_key = session_key or self.session_key
        if session_key is None:
            return
        try:
            cache.delete(self._cache_key(session_key))
        except Exception:
            logger.warning("Session cache unavailable", exc_info=True)
