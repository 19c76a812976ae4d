import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from eligibility.holidays import ScheduleError, import_schedule, parse_schedule


class Command(BaseCommand):
    help = (
        "导入一年的官方节假日安排（JSON 文件，格式见 eligibility/holidays.py），此后该年日期不再是临时日历。"
        '文件中写明 "province"（如 "65"）时，导入的是该地区自有的节日安排，只替换该地区该年的条目。'
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="JSON 文件路径；- 表示标准输入")

    def handle(self, *args, file, **options):
        try:
            text = self.stdin.read() if file == "-" else Path(file).read_text(encoding="utf-8")
        except OSError as exc:
            raise CommandError(f"无法读取 {file}：{exc}") from None
        try:
            summary = import_schedule(**parse_schedule(text))
        except ScheduleError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(json.dumps(summary, ensure_ascii=False))
