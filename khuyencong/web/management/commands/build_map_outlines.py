"""Builds the outlines of the country and today's provinces for the maps (web/map_outlines.py) into var/map/.

Run after `load_admin_units` (make run does); otherwise the first map to load builds them."""

from django.core.management.base import BaseCommand, CommandError

from khuyencong.web.map_outlines import OutlinesUnavailable, cache_file, outlines_json


class Command(BaseCommand):
    help = "Build the country and province outlines the maps draw (Natural Earth, dissolved into today's provinces)."

    def handle(self, *args, **options):
        try:
            key, body = outlines_json()
        except OutlinesUnavailable as exc:
            raise CommandError(str(exc)) from exc
        if options["verbosity"]:
            self.stdout.write(f"{cache_file(key)}: {len(body) // 1024} KB")
