"""Policies as code. `evaluate` is pure: import it without touching the database."""


def evaluate(policy_code, facts, as_of):
    from eligibility.engine import evaluate as _evaluate

    return _evaluate(policy_code, facts, as_of)
