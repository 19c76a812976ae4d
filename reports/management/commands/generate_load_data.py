import json
import time

from django.core.management.base import BaseCommand

from applications.models import Application
from reports.loadgen import generate


class Command(BaseCommand):
    help = "生成省级规模的测试数据（申请、认定、公示、退出），供 make bench 使用。"

    def add_arguments(self, parser):
        parser.add_argument("--applications", type=int, default=1_000_000)
        parser.add_argument("--recognitions", type=int, default=300_000)
        parser.add_argument("--seed", type=int, default=13)
        parser.add_argument(
            "--if-empty", action="store_true", help="只在还没有任何申请时生成（make run 的演示案件，重复运行不再增加）"
        )

    def handle(self, *args, applications, recognitions, seed, if_empty, **options):
        if if_empty and Application.objects.exists():
            self.stdout.write(json.dumps({"skipped": "已有申请"}, ensure_ascii=False))
            return
        started = time.perf_counter()
        counts = generate(applications=applications, recognitions=recognitions, seed=seed)
        counts["seconds"] = round(time.perf_counter() - started, 1)
        self.stdout.write(json.dumps(counts, ensure_ascii=False))
