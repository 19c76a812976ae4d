import argparse
import json
from datetime import date

from django.core.management.base import BaseCommand, CommandError

from config import sweeps


def _as_of(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"应为 YYYY-MM-DD 格式的日期，收到：{value}") from None


class Command(BaseCommand):
    help = "立即运行所有定时任务（公示结束、期限检查、退出检测等），最后一行输出 JSON 摘要。"

    def add_arguments(self, parser):
        parser.add_argument("--as-of", type=_as_of, default=None, help="按此日期运行（YYYY-MM-DD），默认今天。")

    def handle(self, *args, as_of=None, **options):
        summary = sweeps.run_all(as_of or sweeps.today())
        self.stdout.write(json.dumps(summary, ensure_ascii=False, default=str))
        if not summary["ok"]:
            raise CommandError("以下定时任务失败：" + "、".join(summary["failed"]))
