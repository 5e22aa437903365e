"""The staff groups Programmamanager, Opleider and Alleen lezen, with their permissions.

Idempotent: a group that exists keeps its members and gets the permissions added. Reversing
removes the three groups.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

HUB_APPS = ("catalogue", "companies", "enrolment", "technohub")
GROUPS = {
    # Everything the hub's admin and staff pages offer; users' rights stay with superusers.
    "Programmamanager": None,
    # A college's staff: their own provider's runs, participant lists and attendance.
    "Opleider": {
        "companies": ("take_attendance", "complete_run", "export_personal_data"),
        "catalogue": ("view_offering", "view_meeting", "view_course"),
    },
    # Dashboards and counts, no personal data.
    "Alleen lezen": {
        "companies": ("view_staff_dashboard", "view_demand_board"),
        "catalogue": ("view_course", "view_location", "view_provider", "view_theme"),
    },
}


def create_groups(apps, schema_editor):
    # On a fresh database the permissions are created only after all migrations: make them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0, apps=apps)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, wanted in GROUPS.items():
        group, _ = Group.objects.get_or_create(name=name)
        if wanted is None:
            permissions = Permission.objects.filter(content_type__app_label__in=HUB_APPS)
        else:
            permissions = Permission.objects.none()
            for app_label, codenames in wanted.items():
                permissions = permissions | Permission.objects.filter(
                    content_type__app_label=app_label, codename__in=codenames
                )
        group.permissions.add(*permissions)


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=GROUPS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("catalogue", "0004_text_length_limits"),
        ("enrolment", "0003_text_length_limits"),
        ("technohub", "0001_initial"),
        ("companies", "0005_user_provider_staff_permissions"),
    ]

    operations = [migrations.RunPython(create_groups, remove_groups)]
