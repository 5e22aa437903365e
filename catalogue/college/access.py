"""Who may use a provider's pages: its own staff (*Opleider*), and whoever manages every provider.

Every college page takes the provider from the URL through :func:`college_view`, so that a
college's staff never reach another provider's people, whatever slug they try.
"""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import reverse

from companies.models import StaffPermission, User

from ..models import Provider


def may_use_provider_pages(*, user: User, provider: Provider) -> bool:
    """Whether ``user`` may see ``provider``'s pages: its own staff, or the programme manager."""
    if not user.has_perm(StaffPermission.COLLEGE_PAGES):
        return False
    return user.has_perm(StaffPermission.ANY_PROVIDER) or user.provider_id == provider.pk


def college_landing(user: User) -> str:
    """Where a college's staff land after logging in: their provider's page ("" for anyone
    without a provider or without the permission for college pages)."""
    if user.provider_id is not None and user.has_perm(StaffPermission.COLLEGE_PAGES):
        return reverse("college:overview", args=[user.provider.slug])
    return ""


def college_view(view):
    """Log-in required; resolves ``slug`` to a provider the user may see as its staff.

    Without the permission for college pages: 403. With it, another provider than one's own
    is a 404 (as if it did not exist), unless the user manages every provider.
    """

    @login_required
    @wraps(view)
    def wrapper(request, slug: str, *args, **kwargs):
        if not request.user.has_perm(StaffPermission.COLLEGE_PAGES):
            raise PermissionDenied
        try:
            provider = Provider.objects.get(slug=slug)
        except Provider.DoesNotExist as missing:
            raise Http404 from missing
        if not may_use_provider_pages(user=request.user, provider=provider):
            raise Http404
        return view(request, provider, *args, **kwargs)

    return wrapper
