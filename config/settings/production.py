"""Production: every secret comes from the environment; no defaults for them."""

from .base import *
from .env import (
    env_bool,
    env_database,
    env_int,
    env_list,
    env_pii_keys,
    env_redis,
    env_replicas,
    env_str,
    refuse_weak_pii_keys,
)

DEBUG = False
SECRET_KEY = env_str("SECRET_KEY")
PII_KEYS = env_pii_keys()
refuse_weak_pii_keys(PII_KEYS, development_key=DEVELOPMENT_PII_KEY)
if len(SECRET_KEY) < 50 or SECRET_KEY.startswith("dev-only"):
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured(
        "Environment variable SECRET_KEY must be a random string of at least 50 characters."
    )
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
# Connections kept for a minute (health-checked before reuse): opening one per request cost every
# request a PostgreSQL backend start. The URL's own ?conn_max_age= wins (0 turns it off, e.g.
# behind PgBouncer in transaction mode).
DATABASES = {"default": env_database("DATABASE_URL", conn_max_age=60)}
DATABASES.update(env_replicas("DATABASE_REPLICA_URLS", conn_max_age=60))
REDIS_URL = env_redis("REDIS_URL")
CACHES["replicas"]["LOCATION"] = REDIS_URL
CELERY_BROKER_URL = REDIS_URL
CELERY_RESULT_BACKEND = REDIS_URL

SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Behind one reverse proxy (README: nginx terminates TLS): lockouts key on the real client.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 1, minimum=0)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_SECURE = True
X_FRAME_OPTIONS = "DENY"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
