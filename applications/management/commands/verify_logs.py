import json

from django.core.management.base import BaseCommand, CommandError

from applications.logchain import verify_chains


class Command(BaseCommand):
    help = "校验全部办理记录的哈希链，列出每个申请第一条被篡改的记录。"

    def handle(self, *args, **options):
        checked, breaks = verify_chains()
        for b in breaks:
            self.stdout.write(f"申请 {b.application_id}：记录 {b.entry_id} {b.problem}")
        self.stdout.write(json.dumps({"checked": checked, "broken": len(breaks)}, ensure_ascii=False))
        if breaks:
            raise CommandError(f"{len(breaks)} 个申请的办理记录链不完整。")
