from django.apps import AppConfig


class ExitsConfig(AppConfig):
    name = "exits"
    verbose_name = "认定与退出"
