"""WSGI entry of the gunicorn `make bench` starts: the app with reports.bench_urls as its URLconf.
Production serves config.wsgi, where the bare views of the bench do not exist."""

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

from django.conf import settings
from django.core.wsgi import get_wsgi_application

application = get_wsgi_application()
settings.ROOT_URLCONF = "reports.bench_urls"  # read by the handler on every request

from config.startup import freeze_startup_objects  # noqa: E402 (as config.wsgi: needs the apps loaded)

freeze_startup_objects()
