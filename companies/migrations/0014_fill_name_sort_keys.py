"""Give every existing user the key that files them in Dutch order (``companies.names``)."""

from django.db import migrations

from companies.names import name_sort_key


def fill(apps, schema_editor):
    User = apps.get_model("companies", "User")
    users = list(User.objects.only("pk", "first_name", "last_name", "email"))
    for user in users:
        user.name_sort_key = name_sort_key(
            first_name=user.first_name, last_name=user.last_name, email=user.email
        )
    User.objects.bulk_update(users, ["name_sort_key"], batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [
        ("companies", "0013_roster_sync"),
    ]

    operations = [
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
