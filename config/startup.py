"""What a web worker does once after start-up (issue 13): the URLconf imported, so every view module is
loaded now rather than on a first request, then everything alive frozen out of the cyclic collector
(gc.freeze). A full collection otherwise rescans the ~170,000 objects of Django, the app and its
libraries, which live as long as the process: 60–100 ms on the bench machine, paid by whichever request
triggers it (the p95 outliers of single pages in `make bench`). Frozen objects are still freed by
reference counting; only cycles among them would stay, and start-up leaves none worth collecting."""

import gc

from django.urls import get_resolver


def freeze_startup_objects() -> int:
    """The number of objects frozen."""
    get_resolver().url_patterns  # noqa: B018 (imports every view module of the URLconf)
    gc.collect()
    gc.freeze()
    return gc.get_freeze_count()
