"""manage.py load_rules: upsert the legal rule tables from khuyencong/rules/data/*.json (safe on every deploy)."""

from django.core.management.base import BaseCommand, CommandError

from khuyencong.core.errors import DomainError
from khuyencong.rules.services import rules_load


class Command(BaseCommand):
    help = "Load or refresh the legal rules (contents, support rates, eligibility, calendar, advances, authorities)."

    def handle(self, *args, **options):
        try:
            counts = rules_load(actor=None)
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        if options["verbosity"] >= 1:
            for table, table_counts in counts.items():
                summary = ", ".join(f"{name} {n}" for name, n in table_counts.items())
                self.stdout.write(f"{table}: {summary}")
