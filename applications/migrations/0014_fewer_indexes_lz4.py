"""Fewer indexes, and lz4 for the large JSON columns (issue 13).

- Application.unit and .handling_unit lose their own indexes (and, their codes being text, the
  LIKE-pattern twins PostgreSQL gets with them): the Meta indexes lead with each, and every index
  costs every insert and every transition. The reference's pattern index goes too (it is only ever
  looked up whole): its uniqueness is now a constraint. An opinion's unit keeps one plain index.
- On PostgreSQL built with lz4, an application's facts and evaluation (about 2 KB a row with both,
  past the 2 KB at which a row is compressed) and an opinion's evaluation are compressed with lz4
  instead of pglz: several times faster to write and to read back (the 1M load: 40 → 34 µs an application row).
  A setting of the column: rows already written stay as they are."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


LZ4 = [
    ("applications_application", "facts"),
    ("applications_application", "eligibility"),
    ("applications_reviewopinion", "eligibility"),
]


def lz4(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT 'lz4' = ANY(enumvals) FROM pg_settings WHERE name = 'default_toast_compression'")
        if not cursor.fetchone()[0]:
            return  # a server built without lz4 keeps pglz
    for table, column in LZ4:
        schema_editor.execute(f'ALTER TABLE "{table}" ALTER COLUMN "{column}" SET COMPRESSION lz4')


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0008_rate_windows"),
        ("applications", "0013_search_name_in_deadline_order"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterField(
            model_name="application",
            name="handling_unit",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="accounts.orgunit",
                verbose_name="受理初审单位",
            ),
        ),
        migrations.AlterField(
            model_name="application",
            name="reference",
            field=models.CharField(editable=False, max_length=24, null=True, verbose_name="受理编号"),
        ),
        migrations.AlterField(
            model_name="application",
            name="unit",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="accounts.orgunit",
                verbose_name="所属社区（村）",
            ),
        ),
        migrations.AlterField(
            model_name="reviewopinion",
            name="unit",
            field=models.ForeignKey(
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="accounts.orgunit",
                verbose_name="单位",
            ),
        ),
        migrations.AddIndex(
            model_name="reviewopinion",
            index=models.Index(fields=["unit"], name="opinion_unit"),
        ),
        migrations.RunPython(lz4, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="application",
            constraint=models.UniqueConstraint(fields=("reference",), name="application_reference_unique"),
        ),
    ]
