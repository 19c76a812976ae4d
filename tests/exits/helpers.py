"""Recognitions for the exit tests, made the way the system makes them: an application walked to
`approved` through the real services (tests.factories), so county_approve creates the recognition."""

from exits.models import Recognition
from tests.factories import ApplicationFactory, staff


def recognised(actor=None, **kwargs) -> Recognition:
    application = ApplicationFactory(actor=actor or staff("xj_community"), state="approved", **kwargs)
    return Recognition.objects.select_related("applicant", "unit").get(application=application)


def jilin_recognised(**kwargs) -> Recognition:
    return recognised(actor=staff("jl_community"), **kwargs)
