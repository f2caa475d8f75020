from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from demo.loader import load_flex_demo


class Command(BaseCommand):
    help = "Load the Flex demo data (organisations, services, contracts, users). Idempotent."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--allow-demo-users",
            action="store_true",
            help="Create the demo users (with a published password) even though DEBUG is off.",
        )

    def handle(self, *args, allow_demo_users: bool = False, **options) -> None:
        with_users = settings.DEBUG or allow_demo_users
        if not with_users:
            raise CommandError(
                "Refusing to create demo users with a published password while DEBUG is off. "
                "Pass --allow-demo-users if this really is a throwaway environment."
            )
        load_flex_demo(with_users=with_users)
        self.stdout.write(self.style.SUCCESS("Flex demo data loaded."))
