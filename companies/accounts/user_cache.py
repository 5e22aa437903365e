"""Who is logged in, from the shared cache: the user's row and whether they are HR anywhere.

Every page a logged-in user asks for needs both (the header links the company portal for HR),
and a page served whole from the page cache needs nothing else: keeping them in Redis spares
it the database altogether. Each is kept for ``SECONDS`` after it is read, and dropped as soon
as the user or one of their memberships is saved or deleted, and again when that transaction
commits (a request in between may have read the old row). Changes that send no signal
(queryset ``update()``, SQL by hand) show after at most ``SECONDS``.

When Redis cannot be reached, both are read from the database as usual.
"""

import logging

from django.contrib.auth.backends import ModelBackend
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save

from companies.models import Membership, User

logger = logging.getLogger(__name__)

SECONDS = 300
_MISSING = object()


def _user_key(pk) -> str:
    return f"accounts:user:{pk}"


def _hr_key(pk) -> str:
    return f"accounts:is-hr:{pk}"


def _cached(key: str, load):
    """The value under ``key``, else ``load()``, stored for the next request."""
    try:
        value = cache.get(key, _MISSING)
    except Exception:  # Redis is down: the database answers
        logger.warning("User cache unavailable", exc_info=True)
        return load()
    if value is _MISSING:
        value = load()
        try:
            cache.set(key, value, timeout=SECONDS)
        except Exception:
            logger.warning("User cache unavailable", exc_info=True)
    return value


class CachedModelBackend(ModelBackend):
    """Django's model backend, reading the logged-in user's row from the shared cache."""

    path = f"{__name__}.CachedModelBackend"  # as sessions name the backend that logged in

    def get_user(self, user_id):
        def load():
            return User._default_manager.filter(pk=user_id).first()

        user = _cached(_user_key(user_id), load)
        return user if user is not None and self.user_can_authenticate(user) else None


def is_hr_member(user: User) -> bool:
    """Whether ``user`` is HR of at least one company."""
    return _cached(
        _hr_key(user.pk),
        lambda: Membership.objects.filter(user=user, role=Membership.Role.HR).exists(),
    )


def forget(user_id) -> None:
    """Drop what is kept about this user, now and once the current transaction commits."""

    def drop() -> None:
        try:
            cache.delete_many([_user_key(user_id), _hr_key(user_id)])
        except Exception:
            logger.warning("User cache unavailable", exc_info=True)

    drop()
    transaction.on_commit(drop)


def _user_changed(sender, instance: User, **kwargs) -> None:
    forget(instance.pk)


def _membership_changed(sender, instance: Membership, **kwargs) -> None:
    forget(instance.user_id)


def connect_signals() -> None:
    for signal in (post_save, post_delete):
        signal.connect(_user_changed, sender=User, dispatch_uid=f"user-cache-{signal}")
        signal.connect(
            _membership_changed, sender=Membership, dispatch_uid=f"user-cache-member-{signal}"
        )
