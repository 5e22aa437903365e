"""``/health/`` for load balancers: can this web process reach PostgreSQL and Redis, and has a
Celery worker run a task lately?

The answer is JSON, 200 when every check passes and 503 naming the parts that failed. Errors are
logged, never put in the body: their text may hold a server address or a password.
"""

import logging
from datetime import datetime, timedelta

from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from .tasks import HEARTBEAT_KEY

logger = logging.getLogger(__name__)

# Beat asks a worker for a heartbeat every minute; three minutes of silence means none answers.
WORKER_SILENCE = timedelta(minutes=3)

OK, FAIL, UNKNOWN = "ok", "fail", "unknown"


def _check_database() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception:  # any driver error means the database cannot serve this process
        logger.warning("Health check: PostgreSQL is unreachable", exc_info=True)
        return FAIL
    return OK


def _read_heartbeat() -> tuple[str, str | None]:
    """The Redis check's result and the last heartbeat a worker left in the cache."""
    try:
        return OK, cache.get(HEARTBEAT_KEY)
    except Exception:  # redis-py raises several kinds of connection error
        logger.warning("Health check: Redis is unreachable", exc_info=True)
        return FAIL, None


def _check_worker(heartbeat: str | None, *, now: datetime) -> str:
    if heartbeat is None:
        return FAIL
    try:
        beat_at = datetime.fromisoformat(heartbeat)
    except ValueError:
        return FAIL
    return OK if now - beat_at <= WORKER_SILENCE else FAIL


@never_cache
@require_GET
def health(request: HttpRequest) -> JsonResponse:
    """200 ``{"status": "ok", "checks": {...}}`` or 503 with ``"failing": [...]``."""
    redis_state, heartbeat = _read_heartbeat()
    checks = {
        "database": _check_database(),
        "redis": redis_state,
        # Without Redis the heartbeat cannot be read: the worker's state is unknown.
        "worker": _check_worker(heartbeat, now=timezone.now()) if redis_state == OK else UNKNOWN,
    }
    failing = [name for name, state in checks.items() if state != OK]
    body = {"status": "fail" if failing else "ok", "checks": checks}
    if failing:
        body["failing"] = failing
    return JsonResponse(body, status=503 if failing else 200)
