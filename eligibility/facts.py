"""One applicant's circumstances as the rules read them (API.md "Facts")."""

from dataclasses import dataclass, fields, replace
from datetime import date
from decimal import Decimal


@dataclass(frozen=True)
class Facts:
    id_number: str
    # 50 or 55 for a woman (DESIGN.md §3: asked, never assumed); men ignore it
    female_original_retirement_age: int | None = None
    # basic requirements
    local_hukou: bool = False
    local_resident: bool = False
    urban: bool = False
    able_to_work: bool = False
    willing_to_work: bool = False
    unemployment_registered_on: date | None = None
    # categories
    receiving_dibao: bool = False
    disability_certified: bool = False
    land_fully_expropriated: bool = False
    poverty_alleviation_registered: bool = False
    veteran: bool = False
    laid_off_from_soe: bool = False
    zero_employment_household: bool = False
    graduated_on: date | None = None
    full_time_domestic_graduate: bool = False
    ever_employed: bool = False
    has_social_insurance_record: bool = False
    other_prescribed: bool = False
    # exclusions
    employed_or_insured: bool = False
    business_operating: bool = False
    company_officer: bool = False
    monthly_income: Decimal = Decimal(0)
    minimum_monthly_wage: Decimal | None = None
    receiving_pension: bool = False
    other_exclusion: bool = False
    # staff only: the regional-government provision behind `other_prescribed`, or the finding behind
    # `other_exclusion` (DESIGN.md §3); the rules do not read it
    other_note: str = ""
    # unit parameters
    south_xinjiang_relaxed_months: int | None = None


FACT_NAMES = tuple(f.name for f in fields(Facts))
# Staff findings, never the applicant's own claim: xinjiang-2025 第五条(八), 第六条(五); jilin-2022 一(二)4.
STAFF_ONLY_FACTS = ("other_prescribed", "other_exclusion", "other_note")
# The unit's, never the person's, inside an application (DESIGN.md §3; with_unit_parameters).
UNIT_PARAMETERS = ("minimum_monthly_wage", "south_xinjiang_relaxed_months")


def facts_to_json(facts: Facts) -> dict:
    """What is stored with an application, to be re-read by `facts_from_json` years later."""
    data = {name: getattr(facts, name) for name in FACT_NAMES}  # not asdict: its deep copies are slow in bulk
    for key, value in data.items():
        if isinstance(value, date):
            data[key] = value.isoformat()
        elif isinstance(value, Decimal):
            data[key] = str(value)
    return data


def facts_from_json(data: dict) -> Facts:
    values = {k: v for k, v in data.items() if k in FACT_NAMES}
    for key in ("unemployment_registered_on", "graduated_on"):
        if values.get(key):
            values[key] = date.fromisoformat(values[key])
    for key in ("monthly_income", "minimum_monthly_wage"):
        if values.get(key) is not None:
            values[key] = Decimal(str(values[key]))
    return Facts(**values)


def with_unit_parameters(facts: Facts, unit) -> Facts:
    """Inside an application the minimum wage and the south-Xinjiang months are always the unit's
    (DESIGN.md §3): whatever the submitter sent is replaced. `unit` is accounts.selectors.UnitSettings."""
    return replace(
        facts,
        minimum_monthly_wage=unit.minimum_monthly_wage,
        south_xinjiang_relaxed_months=unit.relaxed_unemployment_months if unit.south_xinjiang else None,
    )


def with_unit_defaults(facts: Facts, unit) -> Facts:
    """For the side-effect-free evaluate API (what-if questions): omitted minimum wage and
    south-Xinjiang months come from the unit (API.md); `unit` is UnitSettings, or None."""
    if unit is None:
        return facts
    if facts.minimum_monthly_wage is None:
        facts = replace(facts, minimum_monthly_wage=unit.minimum_monthly_wage)
    if facts.south_xinjiang_relaxed_months is None and unit.south_xinjiang:
        facts = replace(facts, south_xinjiang_relaxed_months=unit.relaxed_unemployment_months)
    return facts
