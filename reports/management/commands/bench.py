import os
import sys
import time
from contextlib import ExitStack
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from applications.models import Application
from config.startup import freeze_startup_objects
from reports import bench
from reports.loadgen import generate, recreate_database


class Command(BaseCommand):
    help = "在独立数据库上生成数据并测量各项性能指标（issue 13），输出一张表；超出预算时以非零状态退出。"

    def add_arguments(self, parser):
        scale = float(os.environ.get("BENCH_SCALE", "1"))
        parser.add_argument("--applications", type=int, default=max(100, int(1_000_000 * scale)))
        parser.add_argument("--recognitions", type=int, default=max(30, int(300_000 * scale)))
        parser.add_argument("--repeat", type=int, default=int(os.environ.get("BENCH_REPEAT", "20")))
        parser.add_argument("--steps", type=int, default=3, help="测量的规模档数（每档×10），最后一档为全量")
        parser.add_argument(
            "--fresh", action="store_true", help="先清空并重建数据库（仅 PostgreSQL 上名为 bench* 的库）"
        )
        parser.add_argument("--output", default=str(settings.VAR_DIR / "bench"))

    def _generate(self, size: int, recognitions: int, log: list[str]) -> float:
        """The active database, which must hold no case, migrated, seeded (the demo units) and filled with
        `size` applications; VACUUMed after on PostgreSQL. Returns the load's own seconds."""
        call_command("migrate", verbosity=0, interactive=False)
        if Application.objects.exists():  # its size would not be the one the table says
            raise CommandError("数据库中已有申请：请用 --fresh（make bench）在空的 bench 数据库上运行。")
        with open(os.devnull, "w") as quiet:
            call_command("seed_demo", force=True, stdout=quiet)
        started = time.perf_counter()
        counts = generate(applications=size, recognitions=recognitions)
        seconds = time.perf_counter() - started
        log.append(f"{size:,} applications: generated in {seconds:.0f} s {counts}")
        self.stderr.write(log[-1])
        if connection.vendor == "postgresql" and not connection.in_atomic_block:  # (a test's transaction)
            # the state autovacuum keeps the tables in: visibility maps set, so the index-only scans of the
            # searches and the to-do read no table page. After a bulk load they are unset, and autovacuum
            # reaches each loaded table at some moment during the measures (it vacuumed the 6M log rows and
            # 2M opinions within minutes of a 1M load), taking one core of two: timings that decide results
            started = time.perf_counter()
            with connection.cursor() as cursor:
                cursor.execute("VACUUM")
            log.append(f"{size:,} applications: VACUUM in {time.perf_counter() - started:.0f} s")
        return seconds

    def handle(self, *args, applications, recognitions, repeat, steps, fresh, output, **options):
        if fresh:
            recreate_database("bench")
        sizes = sorted({max(1, applications // 10**k) for k in range(steps)})
        results: dict[str, bench.Result] = {}
        log = []
        with ExitStack() as side_databases:
            scales = []
            for size in sizes[:-1]:
                scales.append(bench.Scale(size, bench.side_database(size)))
                side_databases.callback(bench.drop_side_database, scales[-1].database)
            scales.append(bench.Scale(sizes[-1]))  # the bench's own database
            for scale in reversed(scales):  # the full province first, while the machine is as fresh as the run
                with scale.active():
                    seconds = self._generate(scale.size, round(recognitions * scale.size / applications), log)
                if scale.database is None:
                    load = bench.load_result(scale.size, seconds)
                    results[load.name] = load
            # the measures serve pages in this process as a web worker does (config/wsgi.py): what is alive
            # now frozen out of the cyclic collector, or a full collection over the generator's leftovers
            # lands in one sample (the p95 outliers)
            freeze_startup_objects()
            results |= {result.name: result for result in bench.page_measures(repeat, scales)}
            for scale in scales:
                with scale.active():
                    for _, measure in bench.MEASURES:
                        for result in measure(repeat):
                            results[result.name] = bench.grown(results.get(result.name), result, scale.label)
        for _, measure in bench.FINAL_MEASURES:
            for result in measure(repeat):
                results[result.name] = result
        if applications < 1_000_000:  # a reduced run (CI): a few ms of timer noise is not growth
            for result in results.values():
                result.slack_ms = bench.GROWTH_SLACK_MS
        header = (
            f"# make bench — {connection.vendor}, {applications:,} applications / {recognitions:,} recognitions, "
            f"{repeat} runs each, {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}\n\n"
            f"- settings: {bench.server_settings()}; load average {os.getloadavg()[0]:.1f} at the end\n"
            + "\n".join(f"- {line}" for line in log)
        )
        text = bench.table(list(results.values()), [scale.label for scale in scales], header)
        Path(output).mkdir(parents=True, exist_ok=True)
        path = Path(output) / f"bench-{time.strftime('%Y%m%d-%H%M%S')}.md"
        path.write_text(text + "\n")
        self.stdout.write(text)
        self.stdout.write(f"\n({path})")
        if not all(r.ok for r in results.values()):
            sys.exit(1)
