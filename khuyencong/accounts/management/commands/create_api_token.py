from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from khuyencong.accounts.models import User
from khuyencong.accounts.services import api_token_create
from khuyencong.accounts.tokens import default_lifetime, lifetime_choices
from khuyencong.core.errors import DomainError


class Command(BaseCommand):
    help = "Creates an API token for a user and prints it once (send it as 'Authorization: Bearer <token>')."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--name", default="", help="What the token is for.")
        parser.add_argument("--days", type=int, default=None,
                            help=f"How long it works: {', '.join(map(str, lifetime_choices()))} days "
                                 f"(default {default_lifetime()}).")

    def handle(self, *args, username, name, days, **options):
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"Không có người dùng '{username}'.")
        try:
            token, raw = api_token_create(actor=user, user=user, name=name or "manage.py create_api_token", days=days)
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(raw)
        self.stderr.write(f"Hết hạn ngày {timezone.localtime(token.expires_at):%d/%m/%Y}.")
