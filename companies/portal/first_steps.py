"""A new company's first steps in the portal, each ticked when done (reads only).

The overview shows the list until every step is done: people on the roster (invited, imported
or joined), the approval rule chosen, a training need (or interest) stated, a team enrolled.
"""

from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db.models import Exists, F, OuterRef
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy

from enrolment.models import Enrolment
from technohub.models import AuditLog

from ..models import Company, Interest, Invitation, Membership, TrainingNeed

# The audit action of HR choosing the approval rule; its row is what ticks that step.
APPROVAL_RULE_SET = "company.approval_rule_set"


@dataclass(frozen=True)
class Step:
    label: Promise
    url: str
    done: bool


def list_first_steps(*, company: Company) -> list[Step]:
    """The first steps with whether each is done, or [] once all are. One query."""
    company_type = ContentType.objects.get_for_model(Company)  # cached after the first call
    done = (
        Company.objects.filter(pk=company.pk)
        .annotate(
            has_employees=Exists(
                Membership.objects.filter(company=OuterRef("pk"), role=Membership.Role.EMPLOYEE)
            ),
            has_invited=Exists(Invitation.objects.filter(company=OuterRef("pk"))),
            chose_approval=Exists(
                AuditLog.objects.filter(
                    action=APPROVAL_RULE_SET,
                    content_type=company_type,
                    object_id=OuterRef("pk"),
                )
            ),
            stated_need=Exists(TrainingNeed.objects.filter(company=OuterRef("pk"))),
            stated_interest=Exists(
                Interest.objects.filter(company=OuterRef("pk"), learner__isnull=True)
            ),
            # A team: someone enrolled by another person (HR), paid by the company.
            enrolled_team=Exists(
                Enrolment.objects.filter(company=OuterRef("pk"), enrolled_by__isnull=False).exclude(
                    enrolled_by=F("learner")
                )
            ),
        )
        .values(
            "requires_approval",
            "has_employees",
            "has_invited",
            "chose_approval",
            "stated_need",
            "stated_interest",
            "enrolled_team",
        )
        .get()
    )
    steps = [
        Step(
            gettext_lazy("Nodig medewerkers uit of importeer je personeelslijst"),
            reverse("portal:roster", args=[company.slug]),
            done["has_employees"] or done["has_invited"],
        ),
        Step(
            gettext_lazy("Kies of aanmeldingen van medewerkers eerst jouw goedkeuring vragen"),
            reverse("portal:approval_rule", args=[company.slug]),
            done["requires_approval"] or done["chose_approval"],
        ),
        Step(
            gettext_lazy("Geef een opleidingsbehoefte door"),
            reverse("demand:new_need", args=[company.slug]),
            done["stated_need"] or done["stated_interest"],
        ),
        Step(
            gettext_lazy("Schrijf een team in voor een cursus"),
            reverse("catalogue:course_list"),
            done["enrolled_team"],
        ),
    ]
    return [] if all(step.done for step in steps) else steps
