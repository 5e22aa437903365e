"""The group Coördinator techniekpromotie: plans school visits and edits the activities for
schools. The group Programmamanager gets the same rights."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

COORDINATOR = "Coördinator techniekpromotie"
RIGHTS = {
    "companies": ("plan_school_visits",),
    "catalogue": (
        "add_schoolactivity",
        "change_schoolactivity",
        "delete_schoolactivity",
        "view_schoolactivity",
        "add_schoolmaterial",
        "change_schoolmaterial",
        "delete_schoolmaterial",
        "view_schoolmaterial",
    ),
    "enrolment": (
        "view_school",
        "change_school",
        "view_schoolrequest",
        "view_schoolvisit",
        "view_schoolevaluation",
    ),
}


def grant(apps, schema_editor):
    # On a fresh database the permissions are created only after all migrations: make them now.
    for label in RIGHTS:
        app_config = apps.get_app_config(label)
        app_config.models_module = True
        create_permissions(app_config, verbosity=0, apps=apps)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name in (COORDINATOR, "Programmamanager"):
        group, _ = Group.objects.get_or_create(name=name)
        for label, codenames in RIGHTS.items():
            group.permissions.add(
                *Permission.objects.filter(content_type__app_label=label, codename__in=codenames)
            )


def revoke(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=COORDINATOR).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("companies", "0021_school_planning_permission"),
        ("catalogue", "0011_school_activities"),
        ("enrolment", "0011_school_requests"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
