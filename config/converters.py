"""Path converters. `<id:pk>` is `<int:pk>` bounded to what a database key holds, so an absurd
number in a URL is a plain 404 rather than an integer overflow (500) in the database driver."""

from django.urls import register_converter


class IdConverter:
    regex = "[0-9]{1,18}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value: int) -> str:
        return str(value)


register_converter(IdConverter, "id")
