"""The dashboard's pre-aggregated counts (exits.models.Tally, DESIGN.md §11, issue 13): what a counted
row adds, and the difference a write makes, applied in the writer's own transaction so every figure
stays equal to the list it links to. Applications count through applications.tally (this app may not
import applications); recognitions here: active now (and by category), recognised on a day, and
exited on a day by reason.

A province's figures read its prefectures' rows (a child prefix of 4 digits), the country's its
provinces' (2 digits); a prefecture and below are counted from their own rows (reports.stats)."""

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.db import connections, router, transaction
from django.db.models import Count
from django.db.models.functions import Substr

from exits.models import Recognition, Tally

LEVELS = ((2, 0), (4, 2))  # (length of the counted unit's prefix, length of its scope's prefix)
NOW = date(1, 1, 1)  # the period of what is counted as it is now ("t"), not on a day


@dataclass(frozen=True)
class Counted:
    """One thing a row counts as: in `unit_id`'s units, on the day `on` (None: now), as `measure`."""

    unit_id: str
    on: date | None
    measure: str


Cell = tuple[str, str, date, str, str]  # the key of a Tally row: scope, grain, period, unit, measure


def cells(items: Iterable[tuple[Counted, int]]) -> Counter[Cell]:
    """Every Tally row the items add to, with how much: each level kept, by day and by month."""
    out: Counter[Cell] = Counter()
    for item, n in items:
        for length, parent in LEVELS:
            unit, scope = item.unit_id[:length], item.unit_id[:parent]
            if item.on is None:
                out[(scope, "t", NOW, unit, item.measure)] += n
            else:
                out[(scope, "d", item.on, unit, item.measure)] += n
                out[(scope, "m", item.on.replace(day=1), unit, item.measure)] += n
    return out


def tally_move(*, before: Iterable[Counted] = (), after: Iterable[Counted] = ()) -> None:
    """A row counted as `before` is now counted as `after` (either empty for a new or removed row):
    one upsert statement adds the difference. Call it inside the transaction of the write."""
    delta = cells((item, 1) for item in after)
    delta.subtract(cells((item, 1) for item in before))
    changed = sorted((key, n) for key, n in delta.items() if n)  # one order for every writer: no deadlock
    if not changed:
        return
    connection = connections[router.db_for_write(Tally)]
    table = _table(connection)
    values = ", ".join(["(%s, %s, %s, %s, %s, %s)"] * len(changed))
    params = [value for key, n in changed for value in (*key, n)]
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (scope, grain, period, unit, measure, n) VALUES {values} "  # noqa: S608
            f"ON CONFLICT (scope, grain, period, unit, measure) DO UPDATE SET n = {table}.n + EXCLUDED.n",
            params,
        )


def _table(connection) -> str:
    return connection.ops.quote_name(Tally._meta.db_table)


@transaction.atomic
def tally_replace(*, kind: str, items: Iterable[tuple[Counted, int]]) -> int:
    """Replace every row of measures starting with `kind` ("a:", "r:") by the counts of `items`
    (the rows they count, grouped): what rebuild_tally does after a bulk load. Returns the rows written:
    on PostgreSQL with COPY (executemany took 8 s for the 60,000 rows of 100k applications, COPY
    under a second), elsewhere with executemany (model instances cost more than the rest of a rebuild)."""
    Tally.objects.filter(measure__startswith=kind).delete()
    rows = [(*key, n) for key, n in cells(items).items() if n]
    connection = connections[router.db_for_write(Tally)]
    columns = f"{_table(connection)} (scope, grain, period, unit, measure, n)"
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {columns} FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            cursor.executemany(f"INSERT INTO {columns} VALUES (%s, %s, %s, %s, %s, %s)", rows)  # noqa: S608
    return len(rows)


# --- recognitions (DESIGN.md §7)


def recognition_counts(recognition: Recognition) -> list[Counted]:
    unit = recognition.unit_id
    items = [Counted(unit, None, "r:all"), Counted(unit, recognition.recognized_on, "r:new")]
    if recognition.active:
        items.append(Counted(unit, None, "r:active"))
        items += [Counted(unit, None, f"r:c:{code}") for code in recognition.categories or ()]
    elif recognition.ended_on:
        items.append(Counted(unit, recognition.ended_on, f"r:x:{recognition.end_reason}"))
    return items


def recognitions_rebuild() -> int:
    """The recognitions' rows from the recognitions themselves, grouped as finely as the levels kept."""
    grouped = (
        Recognition.objects.annotate(prefix=Substr("unit_id", 1, LEVELS[-1][0]))
        .values("prefix", "recognized_on", "active", "category_index", "ended_on", "end_reason")
        .annotate(n=Count("id"))
        .order_by()
    )
    items = []
    for row in grouped.iterator(chunk_size=5000):
        shadow = Recognition(
            unit_id=row["prefix"],
            recognized_on=row["recognized_on"],
            active=row["active"],
            categories=[c for c in row["category_index"].split(",") if c],
            ended_on=row["ended_on"],
            end_reason=row["end_reason"],
        )
        items += [(item, row["n"]) for item in recognition_counts(shadow)]
    return tally_replace(kind="r:", items=items)
