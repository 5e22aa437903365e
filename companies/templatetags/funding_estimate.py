"""Filters for the funding estimate block (``templates/funding/_estimate.html``)."""

from datetime import date, timedelta
from decimal import Decimal

from django import template

from companies.funding.rules import Estimate

register = template.Library()


@register.filter
def apply_before(estimate: Estimate) -> date:
    """The day an application must come before: the day after the last day to apply (for a
    scheme that wants it before the start, the day of the first meeting)."""
    return estimate.deadline + timedelta(days=1)


@register.filter
def seats_total(estimate: Estimate, count) -> Decimal:
    """The estimate for ``count`` participants: each seat is an application of its own, so
    the scheme's maximum holds per seat and the total is a plain multiple."""
    return estimate.amount * int(count)
