import importlib
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

# Each module's demo data, in dependency order. A module's seed(stdout) is idempotent.
DEMO_SEEDERS = [
    "khuyencong.accounts.demo",
    "khuyencong.rules.demo",
    "khuyencong.registry.demo",
    "khuyencong.projects.demo",
    "khuyencong.network.demo",
    "khuyencong.events.demo",
    "khuyencong.reporting.demo",
]


class Command(BaseCommand):
    help = "Creates the demo organisations, users and data (idempotent) and prints the demo logins."

    def handle(self, *args, **options):
        from khuyencong.accounts.demo import DEMO_PASSWORD
        from khuyencong.geo.models import AdminUnit

        if not AdminUnit.objects.exists():
            raise CommandError("Chưa có đơn vị hành chính: chạy 'manage.py load_admin_units' trước.")
        started = time.monotonic()
        logins = []
        for path in DEMO_SEEDERS:
            with transaction.atomic():
                result = importlib.import_module(path).seed(self.stdout)
            if path.endswith("accounts.demo"):
                logins = result
        self.stdout.write(f"Dữ liệu mẫu sẵn sàng ({time.monotonic() - started:.1f} s).")
        self.stdout.write("")
        self.stdout.write(f"Tài khoản mẫu (mật khẩu chung: {DEMO_PASSWORD}):")
        width = max(len(u) for u, _r, _o in logins)
        for username, role, organisation in logins:
            self.stdout.write(f"  {username.ljust(width)}  {role} — {organisation}")
        self.stdout.write("")
        self.stdout.write("Mở http://127.0.0.1:8000/ và đăng nhập.")
