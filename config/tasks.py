from datetime import date

from celery import shared_task

from config import sweeps


@shared_task
def run_sweeps_task(as_of: str | None = None) -> dict:
    """The beat entry point: every registered sweep for `as_of` (default: today in China)."""
    day = date.fromisoformat(as_of) if as_of else sweeps.today()
    return sweeps.run_all(day)
