"""Celery application: Redis when REDIS_URL is set, else the embedded filesystem broker."""

import os
from pathlib import Path

from celery import Celery
from celery.schedules import crontab

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("config")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
app.conf.imports = ("config.tasks",)

# The sweeps run once a day just after midnight China time, when notice periods and
# stage deadlines (counted in whole working days) roll over.
app.conf.beat_schedule = {
    "run-sweeps-daily": {"task": "config.tasks.run_sweeps_task", "schedule": crontab(hour=0, minute=5)},
}


@app.on_after_configure.connect
def _make_broker_folders(sender, **kwargs):
    options = sender.conf.broker_transport_options or {}
    for key in ("data_folder_in", "data_folder_out", "processed_folder", "control_folder"):
        if options.get(key):
            Path(options[key]).mkdir(parents=True, exist_ok=True)
