"""Demo funding: the A+O Metalektro scheme's digital themes and Kampstaal's claims at each step.

The two schemes themselves come with the migrations (``companies/0019_seed_funding_schemes``):
the programme manager edits them, so the demo only links the A+O scheme to the hub's digital
themes and writes what Kampstaal's HR recorded. The runs are in ``offerings``: Kampstaal's PLC
course of five months and a week ago (no claim yet: the deadline alarm goes out after seeding),
its digital-skills evening of four months ago (one claim applied for, one paid) and Suplacon's
(OOM) run that starts in three weeks.
"""

from datetime import date, timedelta
from typing import NamedTuple

from django.core.management.base import CommandError
from django.utils import timezone

from catalogue.models import Offering, Theme
from companies.funding import rules
from companies.models import Company, FundingClaim, FundingScheme, User
from enrolment.models import Enrolment

AOM_SCHEME = "Ontwikkelen digitale vaardigheden"
# The demo's themes the A+O scheme covers (slugs of ``courses.THEMES``).
AOM_THEMES = ("plc-automatisering", "digitale-vaardigheden")


class ClaimSpec(NamedTuple):
    """A step HR recorded for the ``seat``-th participant (by enrolment id) of the company in an
    offering (its ``demo:`` tag), so many days after the run's start."""

    offering: str
    company: str
    seat: int
    status: str
    reference: str
    applied_after_days: int
    decided_after_days: int | None = None


CLAIMS = (
    ClaimSpec("demo:cyberveilig-werken:2", "kampstaal", 0, "applied", "ODV-2026-04127", 9),
    ClaimSpec("demo:cyberveilig-werken:2", "kampstaal", 1, "paid", "ODV-2026-03982", 6, 41),
)


def seed_funding(
    *,
    themes: dict[str, Theme],
    companies: dict[str, Company],
    hr: dict[str, User],
    offerings: dict[str, Offering],
) -> None:
    """Link the A+O scheme to the digital themes and write the claims in :data:`CLAIMS`
    (looked up by enrolment, so a second seed updates them)."""
    scheme = (
        FundingScheme.objects.filter(fund="aom", name=AOM_SCHEME).order_by("-valid_from").first()
    )
    if scheme is None:
        raise CommandError(f"The A+O Metalektro scheme {AOM_SCHEME!r} is missing: run migrate.")
    scheme.themes.add(*(themes[slug] for slug in AOM_THEMES))
    for spec in CLAIMS:
        offering = offerings[spec.offering]
        company = companies[spec.company]
        seats = Enrolment.objects.filter(
            offering=offering, company=company, status=Enrolment.Status.COMPLETED
        ).order_by("pk")
        enrolment = seats[spec.seat]
        start = _first_day(offering)
        FundingClaim.objects.update_or_create(
            enrolment=enrolment,
            defaults={
                "scheme": scheme,
                "company": company,
                "learner": enrolment.learner,
                "course": offering.course,
                "once_per_activity": scheme.once_per_activity,
                "status": spec.status,
                "applied_on": start + timedelta(days=spec.applied_after_days),
                "reference": spec.reference,
                "amount": rules.amount(
                    scheme, price_excl_vat=enrolment.price_excl_vat, vat_rate=enrolment.vat_rate
                ),
                "decided_on": start + timedelta(days=spec.decided_after_days)
                if spec.decided_after_days is not None
                else None,
                "updated_by": hr[spec.company],
            },
        )


def _first_day(offering: Offering) -> date:
    return timezone.localdate(offering.meetings.order_by("starts_at").first().starts_at)
