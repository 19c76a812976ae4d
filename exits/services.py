"""Writes of the exits app that other apps call. It reaches applications only by string foreign
keys and the objects it is handed: applications imports exits, never the other way round."""

from datetime import date

from exits.models import Recognition


def has_active_recognition(*, applicant_id: int, policy_code: str) -> bool:
    """第十八条: a person holding an active recognition may not apply again until they exit."""
    return Recognition.objects.filter(applicant_id=applicant_id, policy_code=policy_code, active=True).exists()


def recognition_create(*, application, officer, recognized_on: date) -> Recognition:
    """County approval (第十一条, Jilin 二(三)) recognises the person: categories, unit, officer, date."""
    return Recognition.objects.create(
        application=application,
        applicant_id=application.applicant_id,
        unit_id=application.unit_id,
        policy_code=application.policy_code,
        categories=application.category_codes,
        recognized_on=recognized_on,
        recognized_by=officer,
        approving_unit_id=officer.unit_id,
    )
