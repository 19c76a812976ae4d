"""Notifications get a kind and a title for the API (API.md: {"id","kind","title","body",...}); the
old text becomes the body. Their SMS and email copies move into an outbox (DESIGN.md §10)."""

import django.db.models.deletion
from django.db import migrations, models

TITLES = {"overdue": "办理超期提醒", "application": "办理进度通知"}


def kinds_and_titles(apps, schema_editor):
    Notification = apps.get_model("accounts", "Notification")
    Notification.objects.filter(key__startswith="overdue:").update(kind="overdue", title=TITLES["overdue"])
    Notification.objects.exclude(key__startswith="overdue:").update(kind="application", title=TITLES["application"])


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_identity_verification"),
    ]

    operations = [
        migrations.RenameField(model_name="notification", old_name="text", new_name="body"),
        migrations.AlterField(
            model_name="notification",
            name="body",
            field=models.CharField(max_length=500, verbose_name="内容"),
        ),
        migrations.AddField(
            model_name="notification",
            name="kind",
            field=models.CharField(
                choices=[
                    ("application", "办理进度"),
                    ("recognition", "认定状态"),
                    ("overdue", "超期提醒"),
                    ("account", "账号与身份"),
                ],
                default="application",
                max_length=20,
                verbose_name="类别",
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="notification",
            name="title",
            field=models.CharField(default="", max_length=100, verbose_name="标题"),
            preserve_default=False,
        ),
        migrations.RunPython(kinds_and_titles, migrations.RunPython.noop),
        migrations.CreateModel(
            name="OutboxMessage",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "channel",
                    models.CharField(
                        choices=[("sms", "短信"), ("email", "电子邮件")], max_length=5, verbose_name="渠道"
                    ),
                ),
                (
                    "state",
                    models.CharField(
                        choices=[
                            ("pending", "待发送"),
                            ("sending", "发送中"),
                            ("sent", "已发送"),
                            ("failed", "多次失败，已停止重试"),
                        ],
                        default="pending",
                        max_length=8,
                        verbose_name="状态",
                    ),
                ),
                ("attempts", models.PositiveSmallIntegerField(default=0, verbose_name="发送次数")),
                ("next_attempt_at", models.DateTimeField(verbose_name="下次发送时间")),
                ("claim", models.CharField(blank=True, max_length=32)),
                ("claimed_at", models.DateTimeField(blank=True, null=True)),
                ("sent_at", models.DateTimeField(blank=True, null=True, verbose_name="发送时间")),
                ("sent_to", models.CharField(blank=True, max_length=254, verbose_name="发送至")),
                ("failed_at", models.DateTimeField(blank=True, null=True)),
                ("last_error", models.CharField(blank=True, max_length=300, verbose_name="最近一次错误")),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                (
                    "notification",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE, related_name="copies", to="accounts.notification"
                    ),
                ),
            ],
            options={
                "verbose_name": "待发消息",
                "verbose_name_plural": "待发消息",
                "indexes": [models.Index(fields=["state", "next_attempt_at"], name="accounts_ou_state_75a6a8_idx")],
                "constraints": [
                    models.UniqueConstraint(fields=("notification", "channel"), name="one_copy_per_channel")
                ],
            },
        ),
    ]
