"""Values every template may use."""

from django.conf import settings
from django.http import HttpRequest

from companies.accounts.user_cache import is_hr_member
from companies.models import StaffPermission
from enrolment.schools.teacher_selectors import has_school_requests as school_requests_flag


def hub(request: HttpRequest) -> dict:
    def is_hr() -> bool:
        # Called only by templates that ask, so pages that don't, pay no query.
        user = request.user
        if not user.is_authenticated:
            return False
        # Only hub staff hold staff permissions: an employee's page asks no more than the cache.
        if user.is_staff and user.has_perm(StaffPermission.ANY_COMPANY_PORTAL):
            return True
        return is_hr_member(user)

    def has_school_requests() -> bool:
        # The header links "Mijn schoolbezoeken" for teachers only: a cached flag, no query.
        return request.user.is_authenticated and school_requests_flag(request.user)

    return {
        "HUB_CONTACT_EMAIL": settings.HUB_CONTACT_EMAIL,
        "user_is_hr": is_hr,
        "user_has_school_requests": has_school_requests,
    }
