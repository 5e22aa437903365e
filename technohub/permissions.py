"""The staff pages' access rule: a named permission, never ``is_staff`` alone.

Anonymous visitors go to the admin's log-in page (as the admin does); a logged-in user without
the permission gets 403. The permissions themselves are defined once, on ``companies.User``.
"""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.urls import reverse


def staff_permission_required(*permissions: str):
    """Let a view through only for a user holding every one of ``permissions``."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path(), reverse("admin:login"))
            if not request.user.has_perms(permissions):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapper

    return decorator
