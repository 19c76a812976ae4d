from django.apps import AppConfig


class PublicityConfig(AppConfig):
    name = "publicity"
    verbose_name = "公示"

    def ready(self):
        from celery import current_app

        from publicity import receivers  # noqa: F401

        # A notice PDF whose render failed or was lost is queued again within minutes (publicity.pdf).
        current_app.conf.beat_schedule.setdefault(
            "retry-notice-pdfs", {"task": "publicity.tasks.retry_notice_pdfs", "schedule": 300.0}
        )
