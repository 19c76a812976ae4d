"""The registry of periodic jobs (DESIGN.md §8).

A sweep is a plain function `(as_of: date) -> dict` that is idempotent and set-based.
Apps register theirs in a `sweeps.py` module, found at start-up by `autodiscover`;
the Celery beat task, `manage.py run_sweeps` and the tests all go through `run_all`.
"""

import logging
from collections.abc import Callable
from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import autodiscover_modules

logger = logging.getLogger(__name__)

Sweep = Callable[[date], dict]
_registry: dict[str, Sweep] = {}


def register(name: str) -> Callable[[Sweep], Sweep]:
    def decorator(func: Sweep) -> Sweep:
        if name in _registry and _registry[name] is not func:
            raise ValueError(f"sweep {name!r} is registered twice")
        _registry[name] = func
        return func

    return decorator


def registered() -> dict[str, Sweep]:
    autodiscover_modules("sweeps")
    return dict(sorted(_registry.items()))


def today() -> date:
    return timezone.localdate()


def run_all(as_of: date) -> dict:
    """Run every sweep in its own transaction; one failing sweep does not stop the others. A sweep
    that could not do part of its work lists it under "problems": the run is then not ok either."""
    results: dict[str, dict] = {}
    failed: list[str] = []
    for name, func in registered().items():
        try:
            with transaction.atomic():
                results[name] = func(as_of)
        except Exception as exc:
            logger.exception("sweep %s failed for %s", name, as_of)
            results[name] = {"error": f"{type(exc).__name__}: {exc}"}
            failed.append(name)
    attention = [name for name, result in results.items() if result.get("problems")]
    return {
        "as_of": as_of.isoformat(),
        "ok": not failed and not attention,
        "failed": failed,
        "attention": attention,
        "sweeps": results,
    }
