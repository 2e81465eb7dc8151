import os
import uuid

from .base import *
from .env import env_str

DEBUG = False
# Each test run may pick its own database and Celery queue so that several runs
# (a developer and CI, or parallel sessions) never share state.
DATABASES["default"]["TEST"] = {"NAME": env_str("TEST_DB_NAME", "test_fupin")}
for _alias in DATABASES:  # replicas given to a test run are the primary's mirrors there
    if _alias != "default":
        DATABASES[_alias]["TEST"] = {"MIRROR": "default"}
# The run's own queue, and its own queue of every kind of work named after it (config.celery).
CELERY_TASK_DEFAULT_QUEUE = f"fupin-test-{os.getpid()}-{uuid.uuid4().hex[:6]}"
CACHES["replicas"]["KEY_PREFIX"] = f"{CELERY_TASK_DEFAULT_QUEUE}-replicas"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# One folder per pytest-xdist worker (`make test` runs two): a test that counts stored files sees its own.
MEDIA_ROOT = BASE_DIR / "test-artifacts" / f"media-{os.environ.get('PYTEST_XDIST_WORKER', 'main')}"
AXES_FAILURE_LIMIT = 5
LOGGING["root"]["level"] = "INFO"  # the run-wide log guard checks INFO lines for ID numbers
