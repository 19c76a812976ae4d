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


def parse_id(value: str | None) -> int | None:
    """A primary key from a form field, or None for anything that is not one (the same bound)."""
    value = (value or "").strip()
    return int(value) if value.isascii() and value.isdigit() and len(value) <= 18 else None


def parse_ids(values: list[str]) -> list[int]:
    return [i for i in map(parse_id, values) if i is not None]
