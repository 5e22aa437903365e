from django.db import migrations, models

# The demo data numbered meetings "Bijeenkomst 2 van 5"; give those their English topic too.
NUMBERED_TOPICS_IN_ENGLISH = r"""
UPDATE catalogue_meeting
   SET topic_en = regexp_replace(topic, '^Bijeenkomst (\d+) van (\d+)$', 'Session \1 of \2')
 WHERE topic ~ '^Bijeenkomst \d+ van \d+$' AND topic_en = ''
"""


class Migration(migrations.Migration):
    dependencies = [
        ("catalogue", "0004_text_length_limits"),
    ]

    operations = [
        migrations.AddField(
            model_name="meeting",
            name="topic_en",
            field=models.CharField(blank=True, max_length=200, verbose_name="onderwerp (Engels)"),
        ),
        migrations.RunSQL(NUMBERED_TOPICS_IN_ENGLISH, migrations.RunSQL.noop),
    ]
