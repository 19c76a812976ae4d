from django.apps import AppConfig


class ApplicationsConfig(AppConfig):
    name = "applications"
    verbose_name = "认定申请"

    def ready(self):
        from applications import receivers  # noqa: F401
