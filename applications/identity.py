"""Tying an applicant account to the person behind its ID number (DESIGN.md §10; API.md "Applicant
accounts and identity"). This module alone writes Applicant.user, and only after one of:

- in person: staff of a community, township or county whose scope holds an application of the person
  saw the ID card (`identity_verify_in_person`);
- by code: the account received a one-time code on the phone the person's RECORD holds — never the phone
  typed at registration (`identity_code_request` / `identity_code_confirm`).

One account per ID number (User.id_number is unique). When someone else registered a person's number,
the person takes that account over at the window: staff verify the person in person with `takeover`, the
person sets their own password and phone there, the account's other sign-ins end, and what it held before
is kept on its IdentityVerification row (accounts.services.identity_mark_verified). Nothing is deleted.

The gate (accounts.selectors.is_verified_owner) also requires the account's own verification and the
same ID number on both sides, so a link written any other way (an old row, the admin) gives nothing."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404

from accounts import services as accounts
from accounts.models import IdentityMethod, Role, User
from accounts.scoping import scope
from applications.models import Applicant, Application
from applications.services import record_is_theirs

# The levels that receive and review people (DESIGN.md §2); prefecture and province oversee only.
VERIFYING_ROLES = frozenset({Role.COMMUNITY, Role.TOWNSHIP, Role.COUNTY})


def _applicant_account(user: User) -> User:
    if not (user.is_authenticated and user.is_applicant and user.id_number):
        raise PermissionDenied("只有申请人账号需要验证身份。")
    return user


def _phone_on_record(user: User) -> str:
    return Applicant.objects.filter(id_number=user.id_number).values_list("phone", flat=True).first() or ""


def identity_code_request(*, user: User) -> accounts.CodeSent:
    """A code to the phone on the person's record; the same answer whether or not there is one."""
    return accounts.identity_code_send(user=_applicant_account(user), phone_on_record=_phone_on_record(user))


def identity_code_confirm(*, user: User, code: str) -> User:
    """The account's code, sent to the phone the record still holds: the account is the person's."""
    account = _applicant_account(user)
    accounts.identity_code_use(user=account, code=code, phone_on_record=_phone_on_record(account))
    with transaction.atomic():
        person = Applicant.objects.select_for_update().get(id_number=account.id_number)
        _tie(person, account)
        accounts.identity_mark_verified(account=account, method=IdentityMethod.SMS, phone=person.phone)
    return account


ELSEWHERE = (
    "该人员在本单位辖区以外还有申请或认定，不能在此当面核验：请本人用短信验证码验证，"
    "或到其全部申请和认定所在的县（市、区）核验。"
)


def name_in_scope(officer: User, person: Applicant) -> str:
    """The person's name as the officer's own cases record it (the record may hold another unit's)."""
    cases = scope(Application.objects.filter(applicant=person), officer).order_by("-id")
    return cases.values_list("applicant_name", flat=True).first() or ""


def person_in_scope(officer: User, id_number: str) -> Applicant | None:
    """The person with that ID number if an application of theirs is in the officer's scope."""
    in_scope = scope(Application.objects.filter(applicant__id_number=id_number), officer)
    return Applicant.objects.filter(id_number=id_number, applications__in=in_scope).distinct().first()


def _officer(officer: User) -> User:
    if not (officer.is_authenticated and officer.is_staff_officer and officer.role in VERIFYING_ROLES):
        raise PermissionDenied("只有社区（村）、街道（乡镇）和县级经办人员可以当面核验申请人身份。")
    return officer


def accounts_for_person(*, officer: User, id_number: str) -> tuple[Applicant | None, User | None]:
    """For the staff page: the person in scope and the account registered with their ID number."""
    person = person_in_scope(_officer(officer), id_number)
    if person is None:
        return None, None
    return person, User.objects.filter(role=Role.APPLICANT, id_number=id_number).first()


def identity_verify_in_person(
    *, officer: User, account_id: int, phone: str = "", takeover: bool = False, password: str = ""
) -> User:
    """Staff saw the person's ID card: the account registered with that number is the person's.
    `takeover`: the person did not register it — it becomes theirs with their password and phone.
    An account or person outside the officer's scope is absent (404)."""
    _officer(officer)
    account = User.objects.filter(pk=account_id, role=Role.APPLICANT, id_number__isnull=False).first()
    if account is None or (in_scope := person_in_scope(officer, account.id_number)) is None:
        raise Http404
    if not record_is_theirs(officer, in_scope):
        raise PermissionDenied(ELSEWHERE)
    with transaction.atomic():
        person = Applicant.objects.select_for_update().get(id_number=account.id_number)
        account = User.objects.select_for_update().get(pk=account.pk)
        _tie(person, account)
        accounts.identity_mark_verified(
            account=account,
            method=IdentityMethod.IN_PERSON,
            officer=officer,
            phone=phone,
            takeover=takeover,
            name=person.name,
            password=password,
        )
    return account


def _tie(person: Applicant, account: User) -> None:
    """The caller holds the person's row lock and verifies the account in the same transaction."""
    if person.user_id != account.pk:
        Applicant.objects.filter(user=account).exclude(pk=person.pk).update(user=None)
        person.user = account
        person.save(update_fields=["user", "updated_at"])
