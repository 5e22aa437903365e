"""Choosing people from a roster of thousands, without JavaScript.

A page that lets HR choose employees (enrol a team, name people on reserved seats) shows one
form with the roster search (``RosterSearchForm``), one page of results and the people chosen
so far. Every button of that form (search, a page, "choose all found") posts the whole form
back, so the people ticked anywhere travel along as checkboxes named ``field``: the chosen are
listed, ticked, above the results, and unticking one drops them. Nothing is kept on the
server between two posts, so any web process can answer and a stale tab is harmless: ids that
are no longer the company's members are dropped and counted (``dropped``).

Use it in a view::

    chooser = PeopleChooser(company=company, data=request.POST, field="learners",
                            unavailable=lambda ids: {...user id: reason shown...})

and in the template, inside a ``<form method="post">``::

    {% include "portal/_chooser.html" with chooser=chooser %}

``chooser.chosen`` is the chosen memberships in the order shown (Dutch order): place seats in
that order. The page costs the same number of queries for 10 or 5,000 members.
"""

from collections.abc import Callable, Iterable

from django.core.paginator import Page, Paginator
from django.http import QueryDict

from ..models import Company, Membership
from . import selectors
from .forms import RosterSearchForm

MAX_CHOSEN = 500  # more than any run holds, and well under Django's limit of posted fields


class PeopleChooser:
    """The state of one people chooser, read from the posted (or linked) form data."""

    def __init__(
        self,
        *,
        company: Company,
        data: QueryDict,
        field: str = "people",
        unavailable: Callable[[list[int]], dict[int, str]] | None = None,
        page_size: int = selectors.ROSTER_PAGE_SIZE,
    ):
        self.company = company
        self.field = field
        filters = selectors.get_roster_filters(company=company)
        self.form = RosterSearchForm(data or None, filters=filters, prefix=None)
        self.query = self.form.query()
        found = selectors.search_members(company=company, query=self.query)
        asked = _ids(data.getlist(field))
        if "choose_all" in data:
            asked += list(found.values_list("user_id", flat=True)[:MAX_CHOSEN])
        asked = list(dict.fromkeys(asked))[:MAX_CHOSEN]
        members = selectors.members_by_user_ids(company=company, user_ids=asked)
        self.dropped = len(asked) - len(members)
        self.page: Page = Paginator(found, page_size).get_page(self.form.page_number())
        shown = [membership.user_id for membership in self.page]
        self.reasons = (unavailable or (lambda ids: {}))(
            [*shown, *(membership.user_id for membership in members)]
        )
        self.chosen: list[Membership] = [m for m in members if m.user_id not in self.reasons]
        # Ticked in a tab that is stale now: chosen before, unavailable since (enrolled
        # meanwhile, for instance). The page that acts says what became of them.
        self.became_unavailable: list[Membership] = [
            m for m in members if m.user_id in self.reasons
        ]
        chosen_ids = {membership.user_id for membership in self.chosen}
        # Each row of the page: the membership, and either "chosen", a reason it cannot be
        # chosen, or "" (a free checkbox).
        self.rows = [
            (
                membership,
                "chosen" if membership.user_id in chosen_ids else "",
                self.reasons.get(membership.user_id, ""),
            )
            for membership in self.page
        ]

    @property
    def chosen_ids(self) -> list[int]:
        return [membership.user_id for membership in self.chosen]


def _ids(values: Iterable[str]) -> list[int]:
    """The integers among posted values; anything else is ignored (a stale or forged form)."""
    ids = []
    for value in values:
        if value.isascii() and value.isdigit() and len(value) < 10:
            ids.append(int(value))
    return ids
