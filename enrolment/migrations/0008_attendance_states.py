"""Attendance gets three states (present, absent, excused) and the hours attended; an enrolment
can end as "not completed" (came, but not enough).

Existing rows: present becomes ``present`` with the meeting's full length in hours, absent
becomes ``absent`` with 0 hours.
"""

from decimal import Decimal

from django.db import migrations, models
from django.db.models import Q


def states_from_booleans(apps, schema_editor):
    Attendance = apps.get_model("enrolment", "Attendance")
    for mark in Attendance.objects.select_related("meeting").iterator():
        if mark.present:
            seconds = (mark.meeting.ends_at - mark.meeting.starts_at).total_seconds()
            mark.state = "present"
            mark.hours = (Decimal(int(seconds)) / 3600).quantize(Decimal("0.01"))
        else:
            mark.state = "absent"
            mark.hours = Decimal("0")
        mark.save(update_fields=["state", "hours"])


def booleans_from_states(apps, schema_editor):
    Attendance = apps.get_model("enrolment", "Attendance")
    Attendance.objects.filter(state="present").update(present=True)
    Attendance.objects.exclude(state="present").update(present=False)


class Migration(migrations.Migration):
    dependencies = [
        ("catalogue", "0001_initial"),
        ("enrolment", "0007_request_motivation"),
    ]

    operations = [
        migrations.AddField(
            model_name="attendance",
            name="state",
            field=models.CharField(
                choices=[("present", "aanwezig"), ("absent", "afwezig"), ("excused", "afgemeld")],
                default="absent",
                max_length=8,
                verbose_name="aanwezigheid",
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="attendance",
            name="hours",
            field=models.DecimalField(
                decimal_places=2,
                default=Decimal("0"),
                max_digits=5,
                verbose_name="aanwezige uren",
            ),
        ),
        migrations.RunPython(states_from_booleans, booleans_from_states),
        migrations.RemoveField(model_name="attendance", name="present"),
        migrations.AddConstraint(
            model_name="attendance",
            constraint=models.CheckConstraint(
                condition=Q(state__in=["present", "absent", "excused"]),
                name="attendance_state_valid",
            ),
        ),
        migrations.AddConstraint(
            model_name="attendance",
            constraint=models.CheckConstraint(
                condition=Q(hours__gte=0) & (Q(state="present") | Q(hours=0)),
                name="attendance_hours_only_when_present",
            ),
        ),
        migrations.AlterField(
            model_name="enrolment",
            name="status",
            field=models.CharField(
                choices=[
                    ("requested", "aangevraagd"),
                    ("confirmed", "bevestigd"),
                    ("waitlisted", "wachtlijst"),
                    ("rejected", "afgewezen"),
                    ("cancelled", "geannuleerd"),
                    ("completed", "afgerond"),
                    ("not_completed", "niet afgerond"),
                    ("no_show", "niet verschenen"),
                ],
                max_length=16,
                verbose_name="status",
            ),
        ),
        migrations.RemoveConstraint(model_name="enrolment", name="enrolment_status_valid"),
        migrations.AddConstraint(
            model_name="enrolment",
            constraint=models.CheckConstraint(
                condition=Q(
                    status__in=[
                        "requested",
                        "confirmed",
                        "waitlisted",
                        "rejected",
                        "cancelled",
                        "completed",
                        "not_completed",
                        "no_show",
                    ]
                ),
                name="enrolment_status_valid",
            ),
        ),
    ]
