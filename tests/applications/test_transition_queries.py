"""Issue 13 budget: a transition with its opinion, deadline, hash-chained log, audit event and the
applicant's notification runs at most 12 queries, with caches cold (the first) or warm (the second)."""

import pytest

from applications import workflow
from applications.models import State, TransitionLog
from tests.factories import ApplicationFactory


@pytest.mark.parametrize(
    ("name", "state", "by_county", "after"),
    [
        ("accept", State.SUBMITTED, False, State.INITIAL_REVIEW),  # the community's officer
        ("county_approve", State.COUNTY_REVIEW, True, State.APPROVED),
    ],
)
def test_a_transition_runs_at_most_12_queries(
    community_user, county_user, django_assert_max_num_queries, name, state, by_county, after
):
    officer = county_user if by_county else community_user
    for _ in range(2):
        application = ApplicationFactory(actor=community_user, state=state, materials=True)
        with django_assert_max_num_queries(12):
            workflow.application_transition(application_id=application.pk, name=name, actor=officer, opinion="同意")
        application.refresh_from_db()
        assert application.state == after
        assert TransitionLog.objects.filter(application=application, name=name).count() == 1
