import pytest


@pytest.fixture(autouse=True)
def booklet_cache(settings, tmp_path):
    """Each test's booklets in a folder of its own: the "booklets" storage's location."""
    location = tmp_path / "booklets"
    settings.STORAGES = {
        **settings.STORAGES,
        "booklets": {**settings.STORAGES["booklets"], "OPTIONS": {"location": location}},
    }
    return location
