"""The demo hub that ``manage.py seed_demo`` loads: places, organisations, people, courses,
offerings.

Everything here is invented but plausible: addresses, KvK numbers, names and prices are demo
data, not facts about the real colleges and companies. Texts shown to users are Dutch first with
an English ``*_en`` variant. Dates are not stored here: offerings are planned in weeks from the day
the command runs, so the demo always shows the coming six months.

One module per domain: ``accounts``, ``places``, ``organisations``, ``courses``, ``offerings``,
``demand``, ``evaluations``, and four that also write their rows: ``proposals`` (a proposal at
each stage), ``funding`` (claims at each step), ``qualifications`` (who holds what, until
when) and ``schools`` (*Techniek beleven*: activities, schools and requests in every state).
``rosters/`` holds two months of Kampstaal's HR file for the roster import: the second has one
person moved to another department and one leaver.
"""

from pathlib import Path

from . import (
    accounts,
    courses,
    demand,
    evaluations,
    funding,
    offerings,
    organisations,
    places,
    proposals,
    qualifications,
    schools,
)

ROSTERS = Path(__file__).resolve().parent / "rosters"

__all__ = [
    "accounts",
    "courses",
    "demand",
    "evaluations",
    "funding",
    "offerings",
    "organisations",
    "places",
    "proposals",
    "qualifications",
    "schools",
]
