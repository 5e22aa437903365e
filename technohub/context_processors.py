"""Values every template may use."""

from django.conf import settings
from django.http import HttpRequest

from companies.models import Membership, StaffPermission


def hub(request: HttpRequest) -> dict:
    def is_hr() -> bool:
        # Called only by templates that ask, so pages that don't, pay no query.
        user = request.user
        return user.is_authenticated and (
            user.has_perm(StaffPermission.ANY_COMPANY_PORTAL)
            or Membership.objects.filter(user=user, role=Membership.Role.HR).exists()
        )

    return {"HUB_CONTACT_EMAIL": settings.HUB_CONTACT_EMAIL, "user_is_hr": is_hr}
