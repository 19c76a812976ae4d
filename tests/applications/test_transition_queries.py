"""Issue 13 budget: a transition with its opinion, deadline, hash-chained log, audit event and the
applicant's notification runs at most 12 queries, with caches cold (the first) or warm (the second).
The entry is sealed by the row's own UPDATE, from the head on the locked row: 10 in all."""

import pytest

from applications import workflow
from applications.logchain import verify_chains
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
        with django_assert_max_num_queries(10):
            workflow.application_transition(application_id=application.pk, name=name, actor=officer, opinion="同意")
        application.refresh_from_db()
        assert application.state == after
        assert TransitionLog.objects.filter(application=application, name=name).count() == 1


def test_the_chain_stays_whole_across_transitions(community_user, county_user):
    application = ApplicationFactory(actor=community_user, state=State.COUNTY_REVIEW, materials=True)
    workflow.application_transition(application_id=application.pk, name="county_approve", actor=county_user)
    application.refresh_from_db()
    entries = TransitionLog.objects.filter(application=application)
    assert application.log_seq == entries.count() and application.log_head == entries.last().hash
    assert verify_chains()[1] == []
