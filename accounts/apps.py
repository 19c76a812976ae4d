from django.apps import AppConfig
from django.conf import settings


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "机构与用户"

    def ready(self):
        from celery import current_app

        from accounts import lockout  # noqa: F401  (failed logins to the audit trail)
        from config import text

        text.install()  # every form and serializer text field refuses control characters (issue 12 #7)

        # Between the daily sweeps, beat sends what an outage held back every few minutes (DESIGN.md §10).
        current_app.conf.beat_schedule.setdefault(
            "deliver-outbox",
            {"task": "accounts.tasks.deliver_outbox_due", "schedule": float(settings.OUTBOX_SWEEP_SECONDS)},
        )
