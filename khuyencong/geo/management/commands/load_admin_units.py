import time

from django.core.management.base import BaseCommand

from khuyencong.geo.loader import load_admin_units


class Command(BaseCommand):
    help = "Loads the administrative units (current and legacy) and their succession. Idempotent."

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="Reload even if the same data version is loaded.")

    def handle(self, *args, force=False, **options):
        started = time.monotonic()
        result = load_admin_units(force=force)
        elapsed = time.monotonic() - started
        if options["verbosity"] >= 1:
            state = "đã có sẵn, bỏ qua" if result.pop("skipped") else "đã nạp"
            counts = ", ".join(f"{k}={v}" for k, v in sorted(result.items()))
            self.stdout.write(f"Đơn vị hành chính {state} ({elapsed:.1f} s): {counts}")
