import json

from django.core.management.base import BaseCommand

from reports.services import tally_rebuild


class Command(BaseCommand):
    help = "重新计算统计概览的汇总数据（批量导入后或升级后运行一次）。"

    def handle(self, *args, **options):
        self.stdout.write(json.dumps({"tally_rows": tally_rebuild()}))
