import os

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from reports import loadtest
from reports.loadgen import recreate_database


class Command(BaseCommand):
    help = "负载验证（issue 12）：gunicorn（生产配置）+ PostgreSQL，并发读待办、办理流转、查询进度，核对办理记录。"

    def add_arguments(self, parser):
        parser.add_argument("--clients", type=int, default=100)
        parser.add_argument("--seconds", type=float, default=60)
        parser.add_argument("--workers", type=int, default=int(os.environ.get("WEB_WORKERS", "3")))
        parser.add_argument("--applications", type=int, default=20_000, help="--fresh 时生成的申请数")
        parser.add_argument(
            "--fresh", action="store_true", help="先清空并重建数据库并生成数据（仅 PostgreSQL 上名为 load* 的库）"
        )

    def handle(self, *args, clients, seconds, workers, applications, fresh, **options):
        if connection.vendor != "postgresql":
            raise CommandError("负载验证需要 PostgreSQL（DATABASE_URL）。")
        if fresh:
            recreate_database("load")
            call_command("migrate", verbosity=0, interactive=False)
            call_command("seed_demo", force=True, stdout=open(os.devnull, "w"))  # noqa: SIM115
            call_command("generate_load_data", applications=applications, recognitions=applications // 10)
        result = loadtest.run(
            clients=clients,
            seconds=seconds,
            database_url=loadtest.database_url(),
            redis_url=settings.REDIS_URL,
            workers=workers,
        )
        self.stdout.write(result.table())
        if result.unexpected:
            self.stdout.write(f"unexpected statuses: {result.unexpected}")
            for (kind, status), sample in result.samples.items():
                self.stdout.write(f"  {kind} {status}: {sample}")
        if not result.ok:
            raise CommandError("负载验证未通过。")
