"""Lists at province scale (issue 13): counts that do not scan a province (at most COUNT_CAP rows,
"10,000+" beyond, the page says so and asks to narrow the filters), and seek pagination: a page
starts after (or before) the sort key of a row, so page 500 reads as few rows as page 1 instead of
skipping 10,000 with OFFSET."""

import base64
import binascii
import json
from dataclasses import dataclass

from django.core.paginator import Paginator
from django.utils.functional import cached_property

COUNT_CAP = 10_000
# A search by name or number prefix counts no further: a name shared by thousands in a province would
# otherwise be counted through all of them on every page, and past this many the officer is asked for
# more of the name or number instead.
SEARCH_COUNT_CAP = 200


class CappedPaginator(Paginator):
    """`count` is exact up to `cap` (COUNT_CAP unless given); above it, `cap` + 1 and `capped` is true.
    `known`: the exact count, when the caller has it without counting rows (never capped)."""

    def __init__(self, object_list, per_page, *, cap: int | None = None, known: int | None = None) -> None:
        super().__init__(object_list, per_page)
        self.cap = COUNT_CAP if cap is None else cap
        self.known = known  # an exact count the caller has (e.g. from pre-aggregated figures): not capped

    @cached_property
    def count(self) -> int:
        if self.known is not None:
            return self.known
        # without the list's order and joins: counting needs neither, and an ORDER BY would sort the scope
        return self.object_list.order_by().select_related(None).values("pk")[: self.cap + 1].count()

    @property
    def capped(self) -> bool:
        return self.known is None and self.count > self.cap


@dataclass(frozen=True)
class Cursor:
    """A page boundary: the rows after (`forward`) or before the row whose sort key is (value, id)."""

    value: str | int | None  # an ISO date, a rank, or None (the rows without a value)
    id: int
    forward: bool = True

    def encode(self) -> str:
        raw = json.dumps([self.value, self.id, int(self.forward)], separators=(",", ":"))
        return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")

    @classmethod
    def decode(cls, token: str | None) -> "Cursor | None":
        """None for no cursor; ValueError for one that was not made by `encode`."""
        if not token:
            return None
        try:
            value, pk, forward = json.loads(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)))
        except (binascii.Error, UnicodeDecodeError, ValueError, TypeError) as exc:
            raise ValueError(token) from exc
        if not (value is None or isinstance(value, (str, int))) or not isinstance(pk, int) or forward not in (0, 1):
            raise ValueError(token)
        if isinstance(value, bool) or isinstance(pk, bool) or not 0 < pk < 2**63:
            raise ValueError(token)
        return cls(value, pk, bool(forward))


@dataclass
class SeekPage:
    """One page of a seek pagination: its rows in list order and the cursors of its neighbours."""

    rows: list
    next: Cursor | None
    previous: Cursor | None

    def __iter__(self):
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)
