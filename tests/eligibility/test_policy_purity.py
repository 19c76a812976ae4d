"""The policy modules are pure (STYLE.md: pure policy code needs no Django): importing them, the
engine and the validity check loads no Django module."""

import subprocess
import sys

CODE = """
import sys
from datetime import date
import eligibility.engine, eligibility.policies
eligibility.policies.expiring(date(2030, 8, 1))
print(sorted(m for m in sys.modules if m == "django" or m.startswith(("django.", "rest_framework"))))
"""


def test_the_policies_and_the_engine_import_no_django():
    out = subprocess.run([sys.executable, "-c", CODE], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]", out.stdout
