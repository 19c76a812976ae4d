"""A web worker freezes what start-up loaded out of the cyclic collector (config.startup, issue 13)."""

import json
import subprocess
import sys

from django.conf import settings

PROBE = """
import gc, json, config.wsgi
print(json.dumps({"frozen": gc.get_freeze_count(), "tracked": len(gc.get_objects()),
                  "views": "applications.views" in __import__("sys").modules}))
"""


def test_the_wsgi_module_leaves_a_full_collection_almost_nothing_to_scan():
    # in a new interpreter: freezing this test process would keep its objects from the collector
    out = subprocess.run([sys.executable, "-c", PROBE], cwd=settings.BASE_DIR, capture_output=True, text=True)
    state = json.loads(out.stdout.strip().splitlines()[-1])
    assert state["views"]  # the URLconf's views imported at start-up, not by a first request
    assert state["frozen"] > 50_000 and state["tracked"] < state["frozen"] / 100
