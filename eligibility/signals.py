"""Signals of the working-day calendar (DESIGN.md §4).

`schedule_entered`: a year's official schedule has been entered, so stored dates computed
provisionally in that year must be recomputed ("recomputed when the official year is entered").
Eligibility does not know who stored them (apps import each other one way: publicity →
applications → exits → eligibility → accounts), so it only announces the entry.

Contract:
- sender: `eligibility.models.OfficialYear` (the class).
- kwargs: `year: int`, the year entered; `province: str`, "" for the national schedule (国务院办公厅's
  notice: every province's dates may change), else the two-digit code of the province whose own
  schedule was entered (e.g. "65": 肉孜节, 古尔邦节; only dates of units in that province change).
- Sent once per entry, after the transaction that entered it has committed: by
  `eligibility.holidays.import_schedule` (the import_holidays command) and by the admin when an
  OfficialYear is saved. Receivers see the new schedule through `eligibility.workdays.load()`.
- Receivers recompute the dates they stored with a provisional flag that fall in `year` (with
  `workdays.load(unit_code)` for the unit's province) and log each change on its case. Sent
  robustly: a receiver's exception is logged and neither undoes the entry nor stops the others.
"""

import logging
from functools import partial

from django.db import transaction
from django.dispatch import Signal

from eligibility.models import OfficialYear

logger = logging.getLogger(__name__)

schedule_entered = Signal()


def send_schedule_entered(*, year: int, province: str) -> None:
    for receiver, result in schedule_entered.send_robust(sender=OfficialYear, year=year, province=province):
        if isinstance(result, Exception):
            logger.error(
                "schedule_entered receiver %r failed for %s/%r",
                receiver,
                year,
                province,
                exc_info=(type(result), result, result.__traceback__),
            )


def schedule_entered_on_commit(*, year: int, province: str) -> None:
    """Send `schedule_entered` once the current transaction commits (at once outside one)."""
    transaction.on_commit(partial(send_schedule_entered, year=year, province=province))
