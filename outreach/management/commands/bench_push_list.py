"""Time a pushed list of N synthetic rows (新人社规〔2025〕1号 第十三条) end to end: reading the CSV, the dry
run, and the real push (rows checked, evaluated, stored with their register entries), all inside one
transaction that is rolled back. Bounded (at most 500,000) and never part of the test suite.

    python manage.py bench_push_list --rows 100000
"""

import csv
import io
import json
import random
import time
from datetime import date, timedelta

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from accounts import idnumber
from accounts.demo import seed_demo
from accounts.models import User
from outreach import services
from outreach.models import PushList

MAX = 500_000
UNITS = ["650102001001", "650102002001", "653101001001"]
HEADER = [
    *("id_number", "name", "unit_code", "phone", "local_hukou", "local_resident", "urban", "able_to_work"),
    *("willing_to_work", "unemployment_registered_on", "receiving_dibao", "female_original_retirement_age"),
]


def synthetic_csv(count: int, seed: int) -> bytes:
    rng = random.Random(seed)  # noqa: S311 - synthetic data
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADER)
    for i in range(count):
        unit = UNITS[i % len(UNITS)]
        birth = date(1966, 1, 1) + timedelta(days=rng.randrange(0, 365 * 38))
        first17 = f"{unit[:6]}{birth:%Y%m%d}{i % 1000:03d}"[:17]
        number = first17 + idnumber.check_digit(first17)
        woman = int(number[16]) % 2 == 0
        facts = [1, 1, 1, 1, 1, "2024-03-01", rng.randrange(2), 55 if woman else ""]
        writer.writerow([number, f"测试{i}", unit, f"139{i:08d}", *facts])
    return out.getvalue().encode()


class Command(BaseCommand):
    help = "Time pushing a list of N synthetic rows, rolled back afterwards."

    def add_arguments(self, parser):
        parser.add_argument("--rows", type=int, default=100_000)
        parser.add_argument("--seed", type=int, default=2025)

    def handle(self, *args, rows, seed, **options):
        if not 0 < rows <= MAX:
            raise CommandError(f"--rows must be between 1 and {MAX}")
        data = synthetic_csv(rows, seed)
        result = {"rows": rows, "bytes": len(data), "database": connection.vendor}
        with transaction.atomic():
            seed_demo()
            actor = User.objects.select_related("unit").get(username="xj_province")
            started = time.perf_counter()
            table = services.push_list_read(name="bench.csv", data=data)
            result["read_seconds"] = round(time.perf_counter() - started, 2)
            started = time.perf_counter()
            checked = services.push_list_check(actor=actor, rows=table)
            result["dry_run_seconds"] = round(time.perf_counter() - started, 2)
            started = time.perf_counter()
            push_list = PushList.objects.create(unit=actor.unit, created_by=actor, file_name="bench.csv", rows=rows)
            push_list = services._push(push_list, actor, table)
            result["push_seconds"] = round(time.perf_counter() - started, 2)
            result.update(pushed=push_list.pushed, bad=len(checked.bad), eligible=checked.eligible)
            transaction.set_rollback(True)
        self.stdout.write(json.dumps(result))
