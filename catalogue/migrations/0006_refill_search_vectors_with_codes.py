from django.db import migrations

APART = "regexp_replace({}, '[^[:alnum:]]+', ' ', 'g')"
JOINED = "regexp_replace({}, '(?<=[[:alnum:]])[/.+-](?=[[:alnum:]])', '', 'g')"
FIELDS = [
    ("title", "title_en", "A"),
    ("summary", "summary_en", "B"),
    ("description", "description_en", "C"),
    ("learning_outcomes", "learning_outcomes_en", "C"),
]
THEMES = """coalesce((
    SELECT string_agg(t.name || ' ' || t.name_en, ' ')
    FROM catalogue_theme t
    JOIN catalogue_course_themes ct ON ct.theme_id = t.id
    WHERE ct.course_id = c.id), '')"""


def document() -> str:
    """The same document as catalogue.search.search_document, written out as of this migration:
    codes split into their parts for the stemmed languages, and split and joined unstemmed."""
    parts = []
    for dutch, english, weight in reversed(FIELDS):
        nl, en = f"coalesce(c.{dutch}, '')", f"coalesce(c.{english}, '')"
        both = f"({nl} || ' ' || {en})"
        parts += [
            f"setweight(to_tsvector('dutch', {APART.format(nl)}), '{weight}')",
            f"setweight(to_tsvector('english', {APART.format(en)}), '{weight}')",
            f"setweight(to_tsvector('simple', {APART.format(both)}), '{weight}')",
            f"setweight(to_tsvector('simple', {JOINED.format(both)}), '{weight}')",
        ]
    parts += [
        f"setweight(to_tsvector('dutch', {APART.format(THEMES)}), 'D')",
        f"setweight(to_tsvector('simple', {APART.format(THEMES)}), 'D')",
    ]
    return "\n|| ".join(parts)


def refill_search_vectors(apps, schema_editor):
    schema_editor.execute(f"UPDATE catalogue_course c SET search_vector = {document()}")


class Migration(migrations.Migration):
    dependencies = [("catalogue", "0005_meeting_topic_en")]

    operations = [migrations.RunPython(refill_search_vectors, migrations.RunPython.noop)]
