"""Counts that do not scan a province (issue 13): a list counts at most COUNT_CAP rows, and says
"10,000+" beyond (the page says so and asks to narrow the filters)."""

from django.core.paginator import Paginator
from django.utils.functional import cached_property

COUNT_CAP = 10_000


class CappedPaginator(Paginator):
    """`count` is exact up to COUNT_CAP; above it, COUNT_CAP + 1 and `capped` is true."""

    @cached_property
    def count(self) -> int:
        return self.object_list[: COUNT_CAP + 1].count()

    @property
    def capped(self) -> bool:
        return self.count > COUNT_CAP
