"""The case page shows the person's number, phone and address in full only to the unit checking them
against the ID card while the case is in its hands; to everyone else, and to that unit once it has
passed the case on, masked, in full on request and audited (DESIGN.md §9). A review found the
community reading both in full on every case it ever received, and the county every phone."""

from accounts.models import AuditEvent
from tests.factories import ApplicationFactory, staff


def page(client, user, application, query: str = "") -> str:
    client.force_login(user)
    return client.get(f"/applications/{application.pk}/{query}").content.decode()


def test_in_full_while_the_community_checks_them_masked_after(client, community_user):
    application = ApplicationFactory(actor=community_user, state="initial_review")
    number, phone, address = application.applicant_id_number, application.applicant_phone, application.applicant_address
    body = page(client, community_user, application)
    assert number in body and phone in body and address in body

    application = ApplicationFactory(actor=community_user, state="approved")
    number, phone, address = application.applicant_id_number, application.applicant_phone, application.applicant_address
    body = page(client, community_user, application)
    assert number not in body and phone not in body and address not in body
    assert f"{phone[:3]}****{phone[-4:]}" in body and "显示完整证件号和联系方式" in body
    assert not AuditEvent.objects.filter(action="view_full_id", object_id=str(application.pk)).exists()
    body = page(client, community_user, application, "?full_id=1")
    assert number in body and phone in body and address in body
    assert AuditEvent.objects.filter(action="view_full_id", object_id=str(application.pk)).count() == 1


def test_the_county_reads_a_masked_phone(client, community_user):
    application = ApplicationFactory(actor=community_user, state="initial_review")
    body = page(client, staff("xj_county"), application)
    assert application.applicant_phone not in body and application.applicant_address not in body
