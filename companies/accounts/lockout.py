"""Guessing passwords: what slows it down, without letting anyone lock someone else out.

Two rules, each counted by django-axes in its ``AccessAttempt`` rows (one row per account and
client address, see :mod:`technohub.client` for the address):

1. **Lock per account and address.** Five wrong passwords for one account from one client
   address lock that pair for ``AXES_COOLOFF_TIME`` (axes' own lock-out). The same account from
   any other address logs in as usual, so a stranger's failures never refuse the owner.
2. **Cool-down per account.** Someone guessing from many addresses gets only a few tries from
   each, so failures are also added up per account over all addresses. From
   ``LOGIN_SLOWDOWN_AFTER`` failures on, each further attempt from an address the account has
   never logged in from must wait a delay that doubles with every failure, up to
   ``LOGIN_SLOWDOWN_MAX_SECONDS``. That is a wait, never a lock: the owner waits at most that
   long, and not at all from an address they logged in from before.

A successful password reset clears every count for the account (:func:`lift_lock`).
"""

from __future__ import annotations

import math
from datetime import datetime

from axes.models import AccessAttempt, AccessLog
from axes.utils import reset as reset_attempts
from django.conf import settings
from django.db.models import Max, Sum
from django.http import HttpRequest


def normalise_email(value: str | None) -> str:
    """An address as accounts are stored and counted: without surrounding space, lower case."""
    return (value or "").strip().lower()


def axes_username(request: HttpRequest, credentials: dict | None = None) -> str:
    """The account an attempt counts against (axes' ``AXES_USERNAME_CALLABLE``).

    ``Jan@Example.nl`` and ``jan@example.nl`` are one account, so they are one count.
    """
    source = credentials if credentials else getattr(request, "POST", {})
    return normalise_email(source.get(settings.AXES_USERNAME_FORM_FIELD))


def seconds_to_wait(*, email: str, address: str | None, now: datetime) -> int:
    """How long an attempt for ``email`` from ``address`` must still wait; 0 means go ahead.

    Reads only: a refused attempt is not counted as a failure, so waiting is all it takes.
    """
    email = normalise_email(email)
    if not email:
        return 0
    window_start = now - settings.AXES_COOLOFF_TIME
    failures = AccessAttempt.objects.filter(username=email, attempt_time__gte=window_start)
    totals = failures.aggregate(count=Sum("failures_since_start"), last=Max("attempt_time"))
    excess = (totals["count"] or 0) - settings.LOGIN_SLOWDOWN_AFTER
    if excess < 0:
        return 0
    if address and AccessLog.objects.filter(username=email, ip_address=address).exists():
        return 0  # the owner's own address: whoever guesses elsewhere, they are not slowed
    delay = min(2**excess, settings.LOGIN_SLOWDOWN_MAX_SECONDS)
    waited = (now - totals["last"]).total_seconds()
    return max(0, math.ceil(delay - waited))


def lift_lock(*, email: str) -> int:
    """Forget every failed attempt for ``email``, from every address; return how many rows.

    Called when the owner proved who they are by resetting the password through their mail.
    """
    return reset_attempts(username=normalise_email(email))
