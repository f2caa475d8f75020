"""axe-core (640 KB, for the browser tests' accessibility checks) is served by the test settings
only: the production build and `collectstatic` never ship it."""

import json
import os
import subprocess
import sys
from pathlib import Path

from django.contrib.staticfiles import finders

ROOT = Path(__file__).resolve().parents[2]

# Every file collectstatic would collect: what the staticfiles finders list.
PROBE = """
import json, django
django.setup()
from django.contrib.staticfiles import finders
paths = [path for finder in finders.get_finders() for path, _ in finder.list([])]
print(json.dumps(paths))
"""


def _static_paths(module: str) -> list[str]:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": module,
        "DJANGO_SECRET_KEY": "a-long-random-probe-secret-0123456789-abcdefghijklmnopqrstuvwxyz",
    }
    out = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_the_test_settings_serve_axe_from_node_modules():
    found = finders.find("test-only/axe-core/axe.min.js")
    assert found is not None
    assert Path(found).is_relative_to(ROOT / "node_modules" / "axe-core")
    assert Path(found).stat().st_size > 400_000


def test_production_static_has_no_axe():
    production = _static_paths("flexportal.settings.production")
    assert any(path.endswith("govuk-frontend.min.js") for path in production)  # the probe works
    assert not [path for path in production if "axe" in Path(path).name.lower()]
    # frontend/build.mjs (`npm run build`, run by `make install`) leaves it out of the build.
    assert not (ROOT / "static" / "build" / "axe.min.js").exists()
