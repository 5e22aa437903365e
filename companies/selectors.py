"""Reads about people and companies."""

from .models import Membership, User


def list_memberships(*, user: User) -> list[Membership]:
    """The companies ``user`` belongs to, with their role, by company name."""
    return list(
        Membership.objects.filter(user=user).select_related("company").order_by("company__name")
    )
