import json

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from accounts.demo import seed_demo


class Command(BaseCommand):
    help = "创建或更新演示用机构树和用户（可重复执行）。"

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="在 DEBUG 关闭时也写入演示账号。")

    def handle(self, *args, force=False, **options):
        if not settings.DEBUG and not force:
            raise CommandError("DEBUG 已关闭：演示账号使用公开密码，拒绝写入。确需写入请加 --force。")
        self.stdout.write(json.dumps(seed_demo(), ensure_ascii=False))
