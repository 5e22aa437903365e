"""The permission to read the processing register, granted to the group Programmamanager only."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

CODENAME = "view_processing_register"


def grant(apps, schema_editor):
    # On a fresh database the permissions are created only after all migrations: make them now.
    app_config = apps.get_app_config("companies")
    app_config.models_module = True
    create_permissions(app_config, verbosity=0, apps=apps)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permission = Permission.objects.get(content_type__app_label="companies", codename=CODENAME)
    group, _ = Group.objects.get_or_create(name="Programmamanager")
    group.permissions.add(permission)


def revoke(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    Permission.objects.filter(content_type__app_label="companies", codename=CODENAME).delete()


class Migration(migrations.Migration):

    dependencies = [
        ('companies', '0007_user_erased_at'),
    ]

    operations = [
        migrations.AlterModelOptions(
            name='user',
            options={'ordering': ['last_name', 'first_name', 'email'], 'permissions': [('view_staff_dashboard', 'Mag het dashboard van de hub zien'), ('view_demand_board', 'Mag het vraagbord zien'), ('view_funding_report', 'Mag het subsidieoverzicht per bedrijf downloaden'), ('take_attendance', 'Mag aanwezigheid registreren'), ('complete_run', 'Mag uitvoeringen afronden'), ('run_any_provider', 'Mag de uitvoeringen van elke aanbieder beheren'), ('use_any_company_portal', 'Mag het portaal van elk bedrijf gebruiken'), ('export_personal_data', 'Mag persoonsgegevens exporteren'), ('view_processing_register', 'Mag het verwerkingsregister zien')], 'verbose_name': 'gebruiker', 'verbose_name_plural': 'gebruikers'},
        ),
        migrations.RunPython(grant, revoke),
    ]
