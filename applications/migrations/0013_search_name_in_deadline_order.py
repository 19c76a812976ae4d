"""The name search's index also in deadline order under each name (issue 13): the bearers of the very
name searched are read in the queue's order and the read stops at a page (applications.selectors._read),
instead of sorting every namesake in scope on each page."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("applications", "0012_overdue_reminders")]

    operations = [
        migrations.RemoveIndex(model_name="application", name="app_search_name"),
        migrations.AddIndex(
            model_name="application",
            index=models.Index(
                fields=["applicant_name", "stage_due_on", "id"],
                include=("unit", "state", "received_on"),
                name="app_search_name",
                opclasses=["varchar_pattern_ops", "date_ops", "int8_ops"],
            ),
        ),
    ]
