"""What seats cost: pure arithmetic on prices, no queries and no writes.

Every amount the site shows or exports is built here, so that a total on a page is the sum of
the lines in an export: VAT is rounded half up to cents *per seat* (as on each enrolment's own
line), and a total of N seats is N times that seat, not the VAT of the summed prices.
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from catalogue.models import Offering

CENT = Decimal("0.01")
ZERO = Decimal("0.00")


def vat_on(price_excl_vat: Decimal, vat_rate: Decimal) -> Decimal:
    """The VAT on one price at ``vat_rate`` percent, rounded half up to cents."""
    return (price_excl_vat * vat_rate / 100).quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Cost:
    """An amount in euros, excluding VAT, with the VAT on it. Costs add up with ``+``."""

    excl_vat: Decimal = ZERO
    vat: Decimal = ZERO

    @property
    def incl_vat(self) -> Decimal:
        return self.excl_vat + self.vat

    def __add__(self, other: "Cost") -> "Cost":
        return Cost(excl_vat=self.excl_vat + other.excl_vat, vat=self.vat + other.vat)

    def __mul__(self, times: int) -> "Cost":
        return Cost(excl_vat=self.excl_vat * times, vat=self.vat * times)

    def __bool__(self) -> bool:
        return bool(self.excl_vat or self.vat)


def seat_cost(*, price_excl_vat: Decimal, vat_rate: Decimal) -> Cost:
    """One seat at ``price_excl_vat`` and ``vat_rate`` percent."""
    return Cost(excl_vat=price_excl_vat, vat=vat_on(price_excl_vat, vat_rate))


def seats_cost(*, offering: Offering, seats: int) -> Cost:
    """What ``seats`` new seats in ``offering`` cost the company that books them.

    The price is the run's (``Offering.price_excl_vat``: the price agreed for a closed run, else
    the course's current price) at the course's VAT rate: what an enrolment made now records
    (``Enrolment.price_excl_vat`` and ``vat_rate`` are a snapshot of them). Use it for any total
    shown before booking: a team, a seat reservation. ``offering.course`` should be loaded
    (``select_related``) or this reads it. Zero seats cost nothing; fewer raise ValueError.
    """
    if seats < 0:
        raise ValueError("seats must be zero or more")
    price = offering.price_excl_vat
    return seat_cost(price_excl_vat=price, vat_rate=offering.course.vat_rate) * seats


def enrolment_cost(enrolment) -> Cost:
    """What one enrolment costs its company, from the price recorded when it was made."""
    return seat_cost(price_excl_vat=enrolment.price_excl_vat, vat_rate=enrolment.vat_rate)
