import importlib
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from bench import scale  # the benchmark's national-size generator (it reads every module, so it lives on top)
from khuyencong.accounts.demo import DEMO_PASSWORD
from khuyencong.geo.models import AdminUnit

# Each module's demo data, in dependency order. A module's seed(stdout) is idempotent.
DEMO_SEEDERS = [
    "khuyencong.accounts.demo",
    "khuyencong.rules.demo",
    "khuyencong.registry.demo",
    "khuyencong.projects.demo",
    "khuyencong.network.demo",
    "khuyencong.events.demo",
    "khuyencong.clusters.demo",
    "khuyencong.awards.demo",
    "khuyencong.consulting.demo",
    "khuyencong.settlement.demo",
    "khuyencong.extraction.demo",
    "khuyencong.news.demo",
    "khuyencong.reporting.demo",
]


class Command(BaseCommand):
    help = ("Creates the demo organisations, users and data (idempotent) and prints the demo logins. With --scale, "
            "then adds a generated national-size dataset (or a fraction of it) for the benchmarks.")

    def add_arguments(self, parser):
        parser.add_argument("--scale", help="'national' (≈200,000 establishments, 40,000 projects…) or a fraction "
                                            "such as 0.01 or 0.1; only on a database without generated data")
        parser.add_argument("--seed", type=int, default=2026, help="random seed of the generated dataset")

    def handle(self, *args, **options):
        if not AdminUnit.objects.exists():
            raise CommandError("Chưa có đơn vị hành chính: chạy 'manage.py load_admin_units' trước.")
        factor = None
        if options.get("scale"):
            try:
                factor = scale.parse_scale(options["scale"])
            except ValueError:
                raise CommandError("--scale phải là 'national' hoặc một tỉ lệ trong khoảng (0, 1], "
                                   "ví dụ 0.1.") from None
        started = time.monotonic()
        logins = []
        for path in DEMO_SEEDERS:
            with transaction.atomic():
                result = importlib.import_module(path).seed(self.stdout)
            if path.endswith("accounts.demo"):
                logins = result
        self.stdout.write(f"Dữ liệu mẫu sẵn sàng ({time.monotonic() - started:.1f} s).")
        if factor is not None:
            self.stdout.write(f"Sinh dữ liệu quy mô {factor:g} × toàn quốc (seed {options['seed']})…")
            try:
                timings = scale.generate(factor, options["seed"], self.stdout)
            except RuntimeError as exc:
                raise CommandError(str(exc)) from None
            total = timings["total"]
            self.stdout.write(f"Đã sinh {total['rows']:,} dòng trong {total['seconds']:.1f} s.")
        self.stdout.write("")
        self.stdout.write(f"Tài khoản mẫu (mật khẩu chung: {DEMO_PASSWORD}):")
        width = max(len(u) for u, _r, _o in logins)
        for username, role, organisation in logins:
            self.stdout.write(f"  {username.ljust(width)}  {role} — {organisation}")
        self.stdout.write("")
        self.stdout.write("Mở http://127.0.0.1:8000/ và đăng nhập.")
