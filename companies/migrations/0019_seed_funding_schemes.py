"""The two schemes the hub's companies use most, as the funds published them, and the rights to
edit schemes and read claims and qualifications for the group Programmamanager.

Rules change per cao period: the programme manager ends a row and adds a new one in the admin.
OOM publishes its percentage and maximum per period; the values here are a starting point the
conditions tell HR to check.
"""

from datetime import date
from decimal import Decimal

from django.contrib.auth.management import create_permissions
from django.db import migrations

SCHEMES = [
    {
        "fund": "aom",
        "name": "Ontwikkelen digitale vaardigheden",
        "name_en": "Developing digital skills",
        "percentage": Decimal("90"),
        "max_amount": Decimal("1000"),
        "eligible_costs": ["course_fee"],
        "vat_claimable": False,
        "window": "after_start",
        "window_months": 6,
        "max_duration_months": 12,
        "proof_required": ["certificate"],
        "once_per_activity": True,
        "conditions": (
            "90 % van de externe kosten, hoogstens € 1.000 per aanvraag.\n"
            "De cursus duurt hoogstens 12 maanden en eindigt met een bewijs van deelname.\n"
            "Btw wordt niet vergoed.\n"
            "Aanvragen binnen 6 maanden na de start.\n"
            "Eenmaal per medewerker per activiteit per cao-periode.\n"
            "Modules los aanvragen kan niet; geen dubbele financiering."
        ),
        "conditions_en": (
            "90% of the external costs, at most €1,000 per application.\n"
            "The course lasts at most 12 months and ends with a proof of participation.\n"
            "VAT is not covered.\n"
            "Apply within 6 months after the start.\n"
            "Once per employee per activity per collective agreement period.\n"
            "Modules cannot be claimed separately; no double funding."
        ),
        "valid_from": date(2025, 1, 1),
    },
    {
        "fund": "oom",
        "name": "Opleidingssubsidie OOM",
        "name_en": "OOM training subsidy",
        "percentage": Decimal("50"),
        "max_amount": None,
        "eligible_costs": ["course_fee"],
        "vat_claimable": False,
        "window": "before_start",
        "window_months": None,
        "max_duration_months": None,
        "proof_required": ["pop", "invoice", "certificate"],
        "once_per_activity": True,
        "conditions": (
            "Aanvragen vóór de cursus begint; declareren na afloop.\n"
            "De cursus staat in het persoonlijk ontwikkelplan (POP) van de medewerker.\n"
            "OOM kan tot 3 jaar later het POP en het betaalbewijs opvragen.\n"
            "Controleer het percentage en het maximum van deze periode op de site van OOM."
        ),
        "conditions_en": (
            "Apply before the course starts; claim afterwards.\n"
            "The course is in the employee's personal development plan (POP).\n"
            "OOM may ask for the POP and proof of payment up to 3 years later.\n"
            "Check this period's percentage and maximum on OOM's website."
        ),
        "valid_from": date(2025, 1, 1),
    },
]

# The programme manager edits schemes and qualifications, and reads (never edits) what HR
# recorded about claims and qualifications held.
MANAGER_RIGHTS = {
    "companies": (
        "add_fundingscheme",
        "change_fundingscheme",
        "delete_fundingscheme",
        "view_fundingscheme",
        "view_fundingclaim",
    ),
    "catalogue": (
        "add_qualification",
        "change_qualification",
        "delete_qualification",
        "view_qualification",
    ),
    "enrolment": ("view_heldqualification",),
}


def seed(apps, schema_editor):
    FundingScheme = apps.get_model("companies", "FundingScheme")
    for scheme in SCHEMES:
        FundingScheme.objects.get_or_create(
            fund=scheme["fund"], name=scheme["name"], defaults=scheme
        )
    # On a fresh database the permissions are created only after all migrations: make them now.
    for label in MANAGER_RIGHTS:
        app_config = apps.get_app_config(label)
        app_config.models_module = True
        create_permissions(app_config, verbosity=0, apps=apps)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name="Programmamanager")
    for label, codenames in MANAGER_RIGHTS.items():
        group.permissions.add(
            *Permission.objects.filter(content_type__app_label=label, codename__in=codenames)
        )


def unseed(apps, schema_editor):
    FundingScheme = apps.get_model("companies", "FundingScheme")
    FundingScheme.objects.filter(
        name__in=[scheme["name"] for scheme in SCHEMES], claims__isnull=True
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("companies", "0018_funding"),
        ("catalogue", "0010_qualifications"),
        ("enrolment", "0010_held_qualifications"),
    ]

    operations = [migrations.RunPython(seed, unseed)]
