"""The overdue sweep's mark moves from a column of the applications table to its own narrow table (issue
13: see OverdueReminder); the deadlines already reminded of are copied over."""

import django.db.models.deletion
from django.db import migrations, models


def copy_marks(apps, schema_editor):
    Application = apps.get_model("applications", "Application")
    OverdueReminder = apps.get_model("applications", "OverdueReminder")
    marked = Application.objects.filter(overdue_notified_for__isnull=False).values_list("pk", "overdue_notified_for")
    OverdueReminder.objects.bulk_create(
        (OverdueReminder(application_id=pk, due_on=day) for pk, day in marked.iterator(chunk_size=5000)),
        batch_size=5000,
    )


def copy_back(apps, schema_editor):
    Application = apps.get_model("applications", "Application")
    OverdueReminder = apps.get_model("applications", "OverdueReminder")
    for pk, day in OverdueReminder.objects.order_by("due_on").values_list("application_id", "due_on").iterator():
        Application.objects.filter(pk=pk).update(overdue_notified_for=day)


class Migration(migrations.Migration):
    dependencies = [
        ("applications", "0011_search_columns"),
    ]

    operations = [
        migrations.CreateModel(
            name="OverdueReminder",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("due_on", models.DateField(verbose_name="已发超期提醒的期限")),
                (
                    "application",
                    models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="applications.application",
                        verbose_name="认定申请",
                    ),
                ),
            ],
            options={
                "verbose_name": "超期提醒",
                "verbose_name_plural": "超期提醒",
                "constraints": [
                    models.UniqueConstraint(fields=("application", "due_on"), name="one_reminder_per_deadline")
                ],
            },
        ),
        migrations.RunPython(copy_marks, copy_back),
        migrations.RemoveField(model_name="application", name="overdue_notified_for"),
    ]
