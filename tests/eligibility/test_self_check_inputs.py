"""自助预审 under odd input: a field error, never a 500."""

from datetime import date, datetime, time

import pytest
import time_machine
from django.utils import timezone

URUMQI = "650102001001"


@pytest.fixture(autouse=True)
def _today():
    moment = timezone.make_aware(datetime.combine(date(2025, 11, 3), time(10)))
    with time_machine.travel(moment, tick=False):
        yield


@pytest.mark.parametrize(
    "data",
    [
        {"id_number": "6" * 100_000},
        {"id_number": "650102197901011227", "female_original_retirement_age": "99"},
        {
            "id_number": "650102197901011227",
            "female_original_retirement_age": "50",
            "unemployment_registered_on": "2099-01-01",
        },
        {
            "id_number": "650102197901011227",
            "female_original_retirement_age": "50",
            "unemployment_registered_on": "0000-00-00",
        },
        {"id_number": "650102197901011227", "female_original_retirement_age": "50", "monthly_income": "-5"},
        {"id_number": "650102197901011227", "female_original_retirement_age": "50", "monthly_income": "1e400"},
        {"id_number": "650102197901011227", "female_original_retirement_age": "50", "monthly_income": "NaN"},
        {"id_number": "\x00", "urban": "\x00"},
        {"id_number": "199001011234567890"},
    ],
)
def test_odd_values_are_field_errors(client, demo, data):
    response = client.post(f"/self-check/?unit={URUMQI}", data)
    assert response.status_code == 200
    page = response.content.decode()
    assert 'class="error"' in page and "您符合" not in page


def test_an_as_of_or_policy_posted_is_not_used(client, demo):
    data = {
        "id_number": "650102197901011227",
        "female_original_retirement_age": "50",
        "local_resident": "on",
        "urban": "on",
        "able_to_work": "on",
        "willing_to_work": "on",
        "unemployment_registered_on": "2025-01-02",
        "as_of": "2040-01-01",  # would be past her retirement
        "policy": "no-such-policy",
    }
    page = client.post(f"/self-check/?unit={URUMQI}", data).content.decode()
    assert "您符合" in page and "按 2025-11-03 的情况判断" in page
