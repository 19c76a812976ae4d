"""One case through the whole procedure, for the review page's tests (issue 11)."""

from datetime import timedelta

from applications.models import Application, State
from publicity.services import notice_close, objection_record, objection_resolve
from tests.factories import ApplicationFactory, NoticeFactory, _notice_over_by_today, on, staff, transition


def case_through_the_whole_procedure(objections: int = 1) -> Application:
    """xj_community receives and passes it; a notice with an objection found groundless; the notice
    closes; xj_township approves: it waits for xj_county."""
    community = staff("xj_community")
    day = _notice_over_by_today("650102001001")
    with on(day):
        application = ApplicationFactory(actor=community, state=State.PENDING_NOTICE, person__name="古丽米热")
        notice = NoticeFactory(actor=community, applications=[application], published_on=day)
        for _ in range(objections):
            objection = objection_record(
                actor=community,
                notice_id=notice.pk,
                application_id=application.pk,
                content="反映其在经营一家商店。",
                reporter_name="王五",
                reporter_contact="13712345678",
            )
            objection_resolve(
                actor=community, objection_id=objection.pk, upheld=False, finding="经核实，该店铺已于2024年注销。"
            )
    with on(notice.period_end + timedelta(days=1)):
        notice_close(notice_id=notice.pk, actor=community)
    application = Application.objects.get(pk=application.pk)
    return transition(application, "township_approve", staff("xj_township"), opinion="经复核，情况属实。")
