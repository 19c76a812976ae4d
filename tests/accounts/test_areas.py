import pytest

from accounts import areas


@pytest.mark.parametrize(
    ("code", "level", "prefix"),
    [
        ("650000000000", "province", "65"),
        ("650100000000", "prefecture", "6501"),
        ("650102000000", "county", "650102"),
        ("650102001000", "township", "650102001"),
        ("650102001001", "community", "650102001001"),
        ("653101001001", "community", "653101001001"),
    ],
)
def test_it_reads_level_and_prefix_from_the_code(code, level, prefix):
    assert areas.level(code) == level
    assert areas.prefix(code) == prefix


def test_it_lists_ancestors_from_the_province_down():
    assert areas.ancestors("650102001001") == ["650000000000", "650100000000", "650102000000", "650102001000"]
    assert areas.ancestors("650000000000") == []
    assert areas.province("220102001001") == "220000000000"


@pytest.mark.parametrize("code", ["65010200100", "6501020010011", "65010200100a", "000000000000", ""])
def test_it_rejects_malformed_codes(code):
    assert not areas.is_valid(code)
