import json

from django.core.management.base import BaseCommand, CommandError

from applications.logchain import verify_chains


class Command(BaseCommand):
    help = "校验全部办理记录（申请、退出）的哈希链和链头，列出每个案件第一处被篡改或删除的记录。"

    def handle(self, *args, **options):
        checked, breaks = verify_chains()
        for label, b in breaks:
            where = f"记录 {b.entry_id} " if b.entry_id else ""
            self.stdout.write(f"{label} {b.parent_id}：{where}{b.problem}")
        self.stdout.write(json.dumps({"checked": checked, "broken": len(breaks)}, ensure_ascii=False))
        if breaks:
            raise CommandError(f"{len(breaks)} 个案件的办理记录链不完整。")
