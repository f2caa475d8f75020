from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Export files go to a directory of the test's own."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def small_threshold(settings):
    """Lists of more than two contracts are made in the background (the demo has four)."""
    settings.EXPORT_SYNC_MAX_ROWS = 2
    return settings
