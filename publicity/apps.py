from django.apps import AppConfig


class PublicityConfig(AppConfig):
    name = "publicity"
    verbose_name = "公示"

    def ready(self):
        from publicity import receivers  # noqa: F401
