from django.db import migrations


def fill_search_vectors(apps, schema_editor):
    # The same document as catalogue.search.search_document, written out as of this migration.
    schema_editor.execute(
        """
        UPDATE catalogue_course c SET search_vector =
            setweight(to_tsvector('dutch', coalesce(c.title, '')), 'A')
            || setweight(to_tsvector('english', coalesce(c.title_en, '')), 'A')
            || setweight(to_tsvector('dutch', coalesce(c.summary, '')), 'B')
            || setweight(to_tsvector('english', coalesce(c.summary_en, '')), 'B')
            || setweight(to_tsvector('dutch', coalesce(c.description, '')), 'C')
            || setweight(to_tsvector('english', coalesce(c.description_en, '')), 'C')
            || setweight(to_tsvector('dutch', coalesce(c.learning_outcomes, '')), 'C')
            || setweight(to_tsvector('english', coalesce(c.learning_outcomes_en, '')), 'C')
            || setweight(to_tsvector('dutch', coalesce((
                SELECT string_agg(t.name || ' ' || t.name_en, ' ')
                FROM catalogue_theme t
                JOIN catalogue_course_themes ct ON ct.theme_id = t.id
                WHERE ct.course_id = c.id), '')), 'D')
        """
    )


class Migration(migrations.Migration):
    dependencies = [("catalogue", "0002_course_search_vector")]

    operations = [migrations.RunPython(fill_search_vectors, migrations.RunPython.noop)]
