"""Time the exit sweeps on N synthetic recognitions (DESIGN.md §8), all inside one transaction that is
rolled back: nothing is left behind. Bounded (at most 500,000) and never part of the test suite.

    python manage.py bench_exit_sweeps --count 100000 [--as-of 2027-06-01]
"""

import json
import random
import time
from datetime import date, timedelta

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from accounts.demo import seed_demo
from accounts.models import User
from eligibility.dates import add_months
from exits.models import Outcome, Recognition, ServiceKind, ServiceRecord, Source, Subsidy, SubsidyKind
from exits.sweeps import detect_exits, identity_checks_due

MAX = 500_000
UNITS = {"xinjiang-2025": ["650102001001", "650102002001"], "jilin-2022": ["220102001001"]}


class Command(BaseCommand):
    help = "Time the exit sweeps on N synthetic recognitions, rolled back afterwards."

    def add_arguments(self, parser):
        parser.add_argument("--count", type=int, default=100_000)
        parser.add_argument("--as-of", type=date.fromisoformat, default=date(2027, 6, 1))
        parser.add_argument("--seed", type=int, default=2025)

    def handle(self, *args, count, as_of, seed, **options):
        if not 0 < count <= MAX:
            raise CommandError(f"--count must be between 1 and {MAX}")
        rng = random.Random(seed)  # noqa: S311 - synthetic data
        Applicant = apps.get_model("applications", "Applicant")
        results = {"count": count, "as_of": as_of.isoformat(), "database": connection.vendor}
        with transaction.atomic():
            seed_demo()
            officer = User.objects.get(username="xj_community")
            started = time.perf_counter()
            people = []
            for i in range(count):
                birth = date(1964, 1, 1) + timedelta(days=rng.randrange(0, 365 * 40))
                sex = "M" if i % 2 else "F"
                people.append(Applicant(id_number=f"B{i:017d}", name=f"测试{i}"))
                people[-1]._birth, people[-1]._sex = birth, sex
            Applicant.objects.bulk_create(people, batch_size=5000)
            ids = dict(Applicant.objects.filter(id_number__startswith="B").values_list("id_number", "pk"))
            recognitions = []
            for i, person in enumerate(people):
                policy = "jilin-2022" if i % 3 == 0 else "xinjiang-2025"
                unit = rng.choice(UNITS[policy])
                recognized = as_of - timedelta(days=rng.randrange(1, 900))
                retirement = add_months(person._birth, 60 * 12 if person._sex == "M" else 55 * 12)
                contact = recognized + timedelta(days=rng.randrange(0, max(1, (as_of - recognized).days)))
                recognitions.append(
                    Recognition(
                        applicant_id=ids[person.id_number],
                        unit_id=unit,
                        policy_code=policy,
                        source=Source.IMPORT,
                        categories=["older"],
                        category_index=",older,",
                        recognized_on=recognized,
                        approving_unit_id=unit[:6] + "000000",
                        statutory_retirement_on=retirement,
                        last_contact_on=contact,
                        identity_check_due_on=add_months(contact, 6),
                        assistance_ends_on=recognized + timedelta(days=730) if policy == "jilin-2022" else None,
                        employed_on=contact if i % 50 == 0 else None,
                    )
                )
            Recognition.objects.bulk_create(recognitions, batch_size=5000)
            rec_ids = list(Recognition.objects.filter(source=Source.IMPORT).values_list("pk", flat=True))
            services, subsidies = [], []
            for pk in rng.sample(rec_ids, min(len(rec_ids), count // 5)):
                for _ in range(rng.choice((1, 2, 3))):
                    services.append(
                        ServiceRecord(
                            recognition_id=pk,
                            kind=ServiceKind.JOB_REFERRAL,
                            date=as_of - timedelta(days=rng.randrange(0, 300)),
                            outcome=rng.choice((Outcome.REFUSED, Outcome.ACCEPTED)),
                            recorded_by=officer,
                        )
                    )
            for pk in rng.sample(rec_ids, min(len(rec_ids), count // 10)):
                start = as_of - timedelta(days=rng.randrange(0, 400))
                subsidies.append(
                    Subsidy(
                        recognition_id=pk,
                        kind=SubsidyKind.SOCIAL_INSURANCE,
                        start=start,
                        end=start + timedelta(days=365),
                        recorded_by=officer,
                    )
                )
            ServiceRecord.objects.bulk_create(services, batch_size=5000)
            Subsidy.objects.bulk_create(subsidies, batch_size=5000)
            results["setup_seconds"] = round(time.perf_counter() - started, 1)
            results["services"], results["subsidies"] = len(services), len(subsidies)
            with connection.cursor() as cursor:
                if connection.vendor == "postgresql":
                    cursor.execute("ANALYZE exits_recognition; ANALYZE exits_servicerecord; ANALYZE exits_subsidy")
            for label, func in (
                ("detect_exits (first run)", detect_exits),
                ("detect_exits (second run, idempotent)", detect_exits),
                ("identity_checks_due", identity_checks_due),
            ):
                with CaptureQueriesContext(connection) as queries:
                    started = time.perf_counter()
                    summary = func(as_of)
                    elapsed = time.perf_counter() - started
                results[label] = {"seconds": round(elapsed, 2), "queries": len(queries), "summary": summary}
            transaction.set_rollback(True)
        self.stdout.write(json.dumps(results, ensure_ascii=False, indent=1, default=str))
