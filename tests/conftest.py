"""Shared test settings for hypothesis.

``default`` (what ``make test`` and CI run) is derandomized: the same examples every run, so a
red CI always reproduces. ``thorough`` (``make test-thorough``) draws fresh random examples, many
more of them, to hunt for new failures; a failure prints the blob that reproduces it.
"""

import os

from hypothesis import HealthCheck, settings

settings.register_profile(
    "default",
    deadline=None,
    max_examples=40,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile(
    "thorough",
    deadline=None,
    max_examples=300,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))
