import json
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from interchange.schemas import SCHEMAS


class Command(BaseCommand):
    help = "Write the JSON Schemas of the letters file and the claims export to docs/schemas/."

    def handle(self, *args, **options):
        folder = Path(settings.BASE_DIR) / "docs" / "schemas"
        folder.mkdir(parents=True, exist_ok=True)
        for name, build in SCHEMAS.items():
            text = json.dumps(build(), indent=2, ensure_ascii=False) + "\n"
            (folder / name).write_text(text, encoding="utf-8")
            self.stdout.write(f"{folder / name}")
