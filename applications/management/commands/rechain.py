import json

from django.core.management.base import BaseCommand, CommandError

from applications.logchain import rechain


class Command(BaseCommand):
    help = "用 LOG_CHAIN_KEY 重新封存启用密钥之前写入的办理记录链（申请、退出），并登记链头；原链已不完整的不予封存。"

    def handle(self, *args, **options):
        resealed, refused = rechain()
        for label, pk in refused:
            self.stdout.write(f"{label} {pk}：原记录链已不完整，未重新封存。")
        self.stdout.write(json.dumps({"resealed": resealed, "refused": len(refused)}, ensure_ascii=False))
        if refused:
            raise CommandError(f"{len(refused)} 个案件的原记录链不完整，请人工核查。")
