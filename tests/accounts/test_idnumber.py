from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from accounts import idnumber
from eligibility.retirement import statutory_retirement
from tests.factories import make_id

births = st.dates(min_value=date(1900, 1, 1), max_value=date(2025, 12, 31))
regions = st.sampled_from(["650102", "653101", "220102", "110101", "440305"])


def test_it_reads_birth_date_and_sex():
    card = idnumber.parse("11010519491231002X")  # the standard's own example
    assert card.birth_date == date(1949, 12, 31) and card.sex == "F"
    assert idnumber.parse(" 650102197901011235 ").sex == "M"


def test_it_accepts_a_lower_case_x():
    assert idnumber.parse("11010519491231002x").number == "11010519491231002X"


@pytest.mark.parametrize(
    ("number", "message"),
    [
        ("650102197901011234", "校验位"),
        ("650102790101123", "15位"),
        ("65010219790101123", "18位"),
        ("6501021979010112X5", "前17位"),
        ("650102197902301235", "出生日期"),
        ("650102180001011234", "出生日期"),
        ("", "18位"),
    ],
)
def test_it_explains_a_bad_number_in_chinese(number, message):
    with pytest.raises(idnumber.InvalidIdNumber, match=message):
        idnumber.parse(number)


def test_a_birth_date_whose_retirement_the_calendar_cannot_hold_is_refused():
    # the latest statutory retirement is 63 years after birth (men, from 1977); 9936 + 63 = 9999
    assert idnumber.parse(make_id(date(9936, 12, 31), "M")).birth_date == date(9936, 12, 31)
    for sex in "MF":
        with pytest.raises(idnumber.InvalidIdNumber, match="出生日期不存在"):
            idnumber.parse(make_id(date(9937, 1, 1), sex))


@given(birth=st.dates(min_value=date(1900, 1, 1)), sex=st.sampled_from("MF"), original=st.sampled_from([50, 55]))
def test_every_number_parse_accepts_has_a_retirement_date(birth, sex, original):
    try:
        card = idnumber.parse(make_id(birth, sex))
    except idnumber.InvalidIdNumber:
        assert birth.year > 9936
        return
    assert statutory_retirement(card.birth_date, card.sex, original).date > card.birth_date


def test_it_masks_all_but_the_first_six_and_last_four():
    assert idnumber.mask("650102197901011235") == "650102********1235"
    assert idnumber.mask("11010519491231002x") == "110105********002X"


@given(birth=births, sex=st.sampled_from("MF"), region=regions, seq=st.integers(0, 99))
def test_any_valid_number_round_trips_birth_date_and_sex(birth, sex, region, seq):
    card = idnumber.parse(make_id(birth, sex, region, seq))
    assert (card.birth_date, card.sex) == (birth, sex)


@given(birth=births, sex=st.sampled_from("MF"), position=st.integers(0, 17), data=st.data())
def test_changing_any_one_character_is_caught(birth, sex, position, data):
    number = make_id(birth, sex)
    alphabet = "0123456789X" if position == 17 else "0123456789"
    other = data.draw(st.sampled_from([c for c in alphabet if c != number[position]]))
    with pytest.raises(idnumber.InvalidIdNumber):
        idnumber.parse(number[:position] + other + number[position + 1 :])
