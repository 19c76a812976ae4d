"""PostgreSQL keeps 10% of each page of the applications table free (issue 13), so an UPDATE of a column
no index holds (the overdue sweep's overdue_notified_for, updated_at) is a HOT update: no write to any of
the table's many indexes. Marking 3,442 overdue cases at 100k: 1.0–1.5 s → 0.1–0.16 s. It applies to pages
written from now on (generate_load_data's, a restore's); `VACUUM FULL applications_application`
applies it to an existing table. SQLite has no such setting."""

from django.db import migrations


def set_fillfactor(apps, schema_editor, value="90"):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"ALTER TABLE applications_application SET (fillfactor = {int(value)})")


def reset_fillfactor(apps, schema_editor):
    set_fillfactor(apps, schema_editor, value="100")


class Migration(migrations.Migration):
    dependencies = [("applications", "0008_state_order_indexes")]

    operations = [migrations.RunPython(set_fillfactor, reset_fillfactor)]
