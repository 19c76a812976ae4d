"""Each application keeps the contact details recorded on it (DESIGN.md §10): until now a case showed
the person's record, which a unit anywhere could read back by entering the ID number and rewrite.
The copies start from what the record holds now, in one UPDATE."""

from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def copy_contacts(apps, schema_editor):
    Applicant, Application = apps.get_model("applications", "Applicant"), apps.get_model("applications", "Application")
    person = Applicant.objects.filter(pk=OuterRef("applicant_id"))
    Application.objects.update(
        applicant_phone=Subquery(person.values("phone")[:1]), applicant_address=Subquery(person.values("address")[:1])
    )


class Migration(migrations.Migration):
    dependencies = [("applications", "0014_fewer_indexes_lz4")]

    operations = [
        migrations.AddField(
            model_name="application",
            name="applicant_phone",
            field=models.CharField(blank=True, default="", editable=False, max_length=20, verbose_name="联系电话"),
        ),
        migrations.AddField(
            model_name="application",
            name="applicant_address",
            field=models.CharField(blank=True, default="", editable=False, max_length=200, verbose_name="常住地址"),
        ),
        migrations.RunPython(copy_contacts, migrations.RunPython.noop),
    ]
