from django.core.management.base import BaseCommand, CommandError

from khuyencong.accounts.models import User
from khuyencong.accounts.services import api_token_create


class Command(BaseCommand):
    help = "Creates an API token for a user and prints it once (send it as 'Authorization: Bearer <token>')."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--name", default="", help="What the token is for.")

    def handle(self, *args, username, name, **options):
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"Không có người dùng '{username}'.")
        _token, raw = api_token_create(actor=user, user=user, name=name or "manage.py create_api_token")
        self.stdout.write(raw)
