"""`manage.py load_scale_data --organisations 40000`: benchmark data at public-sector scale.

Builds rows with set-based bulk inserts rather than through the services one action at a time
(a benchmark loader may; real data never does): see demo/scale.py for what it loads and what it
keeps true. Adds to what is there, so it runs on top of the demo data; running it again with
the same number changes nothing, and a smaller number than is loaded is refused.
"""

from django.core.management.base import BaseCommand, CommandError

from demo.scale import ScaleDataRefused, load_scale_data


class Command(BaseCommand):
    help = (
        "Load benchmark data shaped like the public sector (organisations, contracts, lines, "
        "applications, downloads, price history, rollouts) with bulk inserts. Idempotent."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--organisations",
            type=int,
            default=40_000,
            help="Scale organisations to have in total (default 40,000); others scale with it.",
        )
        parser.add_argument(
            "--seed", type=int, default=0, help="Varies sizes and dates (default 0)."
        )

    def handle(self, *args, organisations: int, seed: int, **options) -> None:
        if organisations < 0:
            raise CommandError("--organisations must be 0 or more")
        try:
            counts = load_scale_data(organisations, seed=seed)
        except ScaleDataRefused as refused:
            raise CommandError(str(refused)) from None
        summary = ", ".join(f"{key.replace('_', ' ')}: {value:,}" for key, value in counts.items())
        self.stdout.write(self.style.SUCCESS(f"Scale data loaded. {summary}"))
