import json

from django.core.management.base import BaseCommand, CommandError

from exits.importing import check, import_rows, read_rows


class Command(BaseCommand):
    help = (
        "导入原有就业困难人员认定（吉人社发〔2022〕10号 六）：CSV 或 XLSX，"
        "列 id_number,name,unit_code,categories,recognized_on"
    )

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--dry-run", action="store_true", help="只检查并报告，不导入")
        parser.add_argument("--skip-bad", action="store_true", help="跳过有错误的行，导入其余各行")

    def handle(self, *args, file, dry_run, skip_bad, **options):
        try:
            rows = read_rows(file)
        except (OSError, ValueError) as exc:
            raise CommandError(str(exc)) from exc
        check(rows)
        for row in rows:
            if row.errors:
                self.stdout.write(f"第{row.number}行：" + "；".join(row.errors))
        summary = import_rows(rows, dry_run=dry_run, skip_bad=skip_bad)
        if summary["bad"] and not skip_bad and not dry_run:
            self.stdout.write("文件中有错误的行，未导入任何记录（可改正后重试，或用 --skip-bad 跳过错误行）。")
        self.stdout.write(json.dumps({"imported": summary["imported"], "bad": summary["bad"]}, ensure_ascii=False))
