"""Settings shared by every environment. Values come from the environment (see env.py)."""

from pathlib import Path

from celery.schedules import crontab
from django.utils.translation import gettext_lazy as _

from .env import env_bool, env_database, env_int, env_list, env_pii_keys, env_redis, env_replicas, env_str

BASE_DIR = Path(__file__).resolve().parent.parent.parent

SECRET_KEY = env_str("SECRET_KEY", "dev-only-insecure-key-change-me")
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

# The apps in dependency order: each may import only from those before it.
DOMAIN_APPS = [
    "core",
    "households",
    "assistance",
    "funds",
    "inspections",
    "policies",
    "accountability",
    "dashboard",
    # Province-scale data generator and benchmark: last, it may import from every app.
    "scale",
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_celery_beat",
    "pgtrigger",
    "pghistory",
    "pghistory.admin",
    "axes",
    *DOMAIN_APPS,
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "core.middleware.SecurityHeadersMiddleware",
    "core.masking.MaskIdNumbersMiddleware",  # ID numbers in any body, for users who may not reveal
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "core.sessions.IdleSessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "core.db_replicas.ReplicaWritesMiddleware",  # a user's write position, for reads on replicas
    "core.accounts.PasswordChangeRequiredMiddleware",  # an administrator's password: change it first
    "django.contrib.messages.middleware.MessageMiddleware",
    "core.middleware.BadInputMiddleware",  # control characters in any value: 400 (core.inputs)
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "pghistory.middleware.HistoryMiddleware",
    "axes.middleware.AxesMiddleware",
    "core.uploads.UploadRoutesMiddleware",  # files only to views that declare upload_fields
]

# Content-Security-Policy (core.middleware; same setting names as Django 6.0's built-in CSP).
# Scripts only from our own origin: no inline scripts, no eval, no CDN. Styles allow inline
# because Swagger UI, ReDoc and the chart library set style attributes; a style cannot run code.
SECURE_CSP = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'", "'unsafe-inline'"],
    "img-src": ["'self'", "data:", "blob:"],
    "font-src": ["'self'", "data:"],
    "connect-src": ["'self'"],
    "worker-src": ["'self'", "blob:"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
}
# Inspectors take photos and may record where they stood; nothing else is needed.
PERMISSIONS_POLICY = {
    "camera": ["self"],
    "geolocation": ["self"],
    "microphone": [],
    "payment": [],
    "usb": [],
}
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "core.context_processors.navigation",
            ],
        },
    },
]

DATABASES = {"default": env_database("DATABASE_URL", "postgres://postgres@127.0.0.1:55432/fupin")}
# Streaming standbys (README "Deployment"): replica1, replica2, … for the views that opt in to
# replica reads (core.db_replicas); none by default, and then everything is read from the primary.
DATABASES.update(env_replicas("DATABASE_REPLICA_URLS"))
DATABASE_ROUTERS = ["core.db_replicas.ReplicaRouter"]
# A replica whose replay lags more than this is skipped until it catches up.
REPLICA_MAX_LAG_SECONDS = env_int("REPLICA_MAX_LAG_SECONDS", 10, minimum=0)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env_redis("REDIS_URL", "redis://127.0.0.1:56379/0")
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    # Each user's last write position (core.db_replicas), shared by every web process.
    "replicas": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": "fupin-replicas",
        "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
    },
}

AUTH_USER_MODEL = "core.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # ModelBackend with the user's roles and permissions cached per process (core.authz).
    "core.authz.RoleBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Idle sessions expire: activity pushes the expiry forward, writing the session row at most
# once a minute (core.sessions) instead of on every request.
SESSION_ENGINE = "core.sessions"
SESSION_COOKIE_AGE = env_int("SESSION_IDLE_SECONDS", 30 * 60, minimum=60)
SESSION_REFRESH_SECONDS = 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# Login lockout (django-axes): lock the username+address pair, not the username alone,
# so nobody can lock an officer out on purpose from elsewhere; a cool-off lifts it.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = env_int("AXES_COOLOFF_MINUTES", 15, minimum=1) / 60
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
# Reverse proxies in front of the app (each appends to X-Forwarded-For). 0 in development; the
# lockout then uses REMOTE_ADDR. See core.middleware.client_ip.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0, minimum=0)
AXES_CLIENT_IP_CALLABLE = "core.middleware.client_ip"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("vendor/htmx", BASE_DIR / "node_modules" / "htmx.org" / "dist"),
    ("vendor/echarts", BASE_DIR / "node_modules" / "echarts" / "dist"),
]
# Uploaded evidence lives outside the web root and is served only through permission checks.
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "media")))
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# Upload size limits by kind (core.uploads), in MB from the environment.
UPLOAD_MAX_BYTES = {
    "xlsx": env_int("UPLOAD_MAX_MB_XLSX", 20, minimum=1) * 1024 * 1024,
    "csv": env_int("UPLOAD_MAX_MB_CSV", 20, minimum=1) * 1024 * 1024,
    "jpg": env_int("UPLOAD_MAX_MB_PHOTO", 10, minimum=1) * 1024 * 1024,
    "png": env_int("UPLOAD_MAX_MB_PHOTO", 10, minimum=1) * 1024 * 1024,
    "webp": env_int("UPLOAD_MAX_MB_PHOTO", 10, minimum=1) * 1024 * 1024,
    "pdf": env_int("UPLOAD_MAX_MB_PDF", 20, minimum=1) * 1024 * 1024,
    "docx": env_int("UPLOAD_MAX_MB_DOCUMENT", 20, minimum=1) * 1024 * 1024,
    "doc": env_int("UPLOAD_MAX_MB_DOCUMENT", 20, minimum=1) * 1024 * 1024,
    "xls": env_int("UPLOAD_MAX_MB_DOCUMENT", 20, minimum=1) * 1024 * 1024,
}
# Zip-based uploads (xlsx, docx), checked from the central directory before anything unpacks them.
UPLOAD_ZIP_LIMITS = {
    "members": env_int("UPLOAD_ZIP_MAX_MEMBERS", 1000, minimum=1),
    "member_bytes": env_int("UPLOAD_ZIP_MAX_MEMBER_MB", 400, minimum=1) * 1024 * 1024,
    "total_bytes": env_int("UPLOAD_ZIP_MAX_TOTAL_MB", 500, minimum=1) * 1024 * 1024,
    "ratio": env_int("UPLOAD_ZIP_MAX_RATIO", 100, minimum=2),
}
# Import workbooks and their error reports (full ID numbers) are deleted this many days after the
# upload by a daily job (households.tasks.purge_expired_imports); evidence files are records and stay.
UPLOAD_RETENTION_DAYS = env_int("UPLOAD_RETENTION_DAYS", 30, minimum=1)
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

# Keys for personal data encrypted at rest (ID numbers, stored files) and the keyed hash beside
# it: ((version, secret), …), the key in use first (env_pii_keys; rotation in SECURITY.md).
# Separate from SECRET_KEY so rotating sessions does not make the registry unreadable.
DEVELOPMENT_PII_KEY = "dev-only-pii-key-change-me"
PII_KEYS = env_pii_keys(DEVELOPMENT_PII_KEY)

# How many times a day a user who may not see full ID numbers may ask whether one exists (an exact
# search by a full number): core.pii.count_probe, issue 15.1.
ID_PROBE_DAILY_LIMIT = env_int("ID_PROBE_DAILY_LIMIT", 50, minimum=1)

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "core.api.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["core.api.permissions.RoleModelPermissions"],
    # Bodies are JSON; a view that takes a file declares MultiPartParser itself (one content type each).
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_PAGINATION_CLASS": "core.api.pagination.KeysetPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": ["core.api.filters.FilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "core.api.autoschema.AutoSchema",
    "EXCEPTION_HANDLER": "core.api.errors.exception_handler",
    "DEFAULT_THROTTLE_RATES": {"anon": "60/min", "public_board": "10/hour"},
}
SPECTACULAR_SETTINGS = {
    "TITLE": "精准扶贫 API",
    "DESCRIPTION": "Households (建档立卡), assistance, funds, inspections and accountability. "
    "Every list is keyset-paginated (page_size from 1, above the maximum read as the maximum), stably "
    "ordered, and accepts updated_after where its rows have a modification time. A query parameter "
    "the API cannot read (an unknown choice, a malformed date, number or boolean) is a 400 naming it.",
    "VERSION": "1.2.0",  # docs/API-CHANGELOG.md names what changed
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    # Choice sets on fields of the same name get stable, readable component names. Each app adds
    # its own here when drf_spectacular.W001 reports a collision (it fails `check --deploy`).
    # Every operation also documents its error answers with our one error body (core.api.schema).
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "core.api.schema.document_error_responses",
        "core.api.schema.identifier_operation_ids",
    ],
    "ENUM_NAME_OVERRIDES": {
        "UnitKindEnum": "core.models.UnitKind",
        "MeasureKindEnum": "assistance.models.MeasureKind",
        # Every choice set of the product's models by its own name: several models have a `status`
        # (and their status-change rows a `from_status`/`to_status`) with different choices.
        "AppealStatusEnum": "accountability.models.AppealStatus",
        "BulletinStatusEnum": "accountability.models.BulletinStatus",
        "CaseRuleEnum": "accountability.models.CaseRule",
        "CaseStatusEnum": "accountability.models.CaseStatus",
        "CaseTypeEnum": "accountability.models.CaseType",
        "GradeEnum": "accountability.models.Grade",
        "IndicatorCodeEnum": "accountability.models.IndicatorCode",
        "IndicatorSourceEnum": "accountability.models.IndicatorSource",
        "ResponsibilityKindEnum": "accountability.models.ResponsibilityKind",
        "FitDecisionEnum": "assistance.models.FitDecision",
        "VisitSatisfactionEnum": "assistance.models.Satisfaction",
        "MeasureStatusEnum": "assistance.models.MeasureStatus",
        "DepartmentEnum": "core.models.Department",
        "RegionLevelEnum": "core.models.RegionLevel",
        "AccountKindEnum": "funds.models.AccountKind",
        "EntryKindEnum": "funds.models.EntryKind",
        "FileFormatEnum": "funds.models.FileFormat",
        "FundSourceEnum": "funds.models.FundSource",
        "LineResultEnum": "funds.models.LineResult",
        "PayeeKindEnum": "funds.models.PayeeKind",
        "PaymentKindEnum": "funds.models.PaymentKind",
        "ProcurementMethodEnum": "funds.models.ProcurementMethod",
        "ProjectKindEnum": "funds.models.ProjectKind",
        "RequestStatusEnum": "funds.models.RequestStatus",
        "CampaignStatusEnum": "households.models.CampaignStatus",
        "CaseStateEnum": "households.models.CaseState",
        "CheckStatusEnum": "households.models.CheckStatus",
        "CrossCheckRuleEnum": "households.models.CrossCheckRule",
        "CrossCheckSourceEnum": "households.models.CrossCheckSource",
        "DisabilityEnum": "households.models.Disability",
        "DuplicateReasonEnum": "households.models.DuplicateReason",
        "DuplicateStatusEnum": "households.models.DuplicateStatus",
        "EducationEnum": "households.models.Education",
        "FlagActionEnum": "households.models.FlagAction",
        "FlagStatusEnum": "households.models.FlagStatus",
        "HealthEnum": "households.models.Health",
        "HouseholdAttributeEnum": "households.models.HouseholdAttribute",
        "HouseholdStatusEnum": "households.models.HouseholdStatus",
        "HousingGradeEnum": "households.models.HousingGrade",
        "ImportKindEnum": "households.models.ImportKind",
        "ImportModeEnum": "households.models.ImportMode",
        "ImportStatusEnum": "households.models.ImportStatus",
        "LabourAbilityEnum": "households.models.LabourAbility",
        "MoveReasonEnum": "households.models.MoveReason",
        "OmissionDecisionEnum": "households.models.OmissionDecision",
        "PoorVillageStatusEnum": "households.models.PoorVillageStatus",
        "PovertyCauseEnum": "households.models.PovertyCause",
        "ProcedureKindEnum": "households.models.ProcedureKind",
        "RelationEnum": "households.models.Relation",
        "SchoolingEnum": "households.models.Schooling",
        "SexEnum": "households.models.Sex",
        "SignOffStateEnum": "households.models.SignOffState",
        "StepEnum": "households.models.Step",
        "TransferStatusEnum": "households.models.TransferStatus",
        "AnswerStatusEnum": "inspections.models.AnswerStatus",
        "FindingCategoryEnum": "inspections.models.FindingCategory",
        "FindingSourceEnum": "inspections.models.FindingSource",
        "FindingStatusEnum": "inspections.models.FindingStatus",
        "GroupKindEnum": "inspections.models.GroupKind",
        "ItemKindEnum": "inspections.models.ItemKind",
        "ItemStatusEnum": "inspections.models.ItemStatus",
        "NotificationKindEnum": "inspections.models.NotificationKind",
        "PlanStatusEnum": "inspections.models.PlanStatus",
        "RecordsStateEnum": "inspections.models.RecordsState",
        "ReportStatusEnum": "inspections.models.ReportStatus",
        "SatisfactionEnum": "inspections.models.Satisfaction",
        "SeverityEnum": "inspections.models.Severity",
        "SurveyResultEnum": "inspections.models.SurveyResult",
        "TargetKindEnum": "inspections.models.TargetKind",
        "PolicyKindEnum": "policies.models.PolicyKind",
        "TaskStatusEnum": "policies.models.TaskStatus",
    },
}

CELERY_BROKER_URL = REDIS_URL
CELERY_RESULT_BACKEND = REDIS_URL
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_DEFAULT_QUEUE = env_str("CELERY_QUEUE", "fupin")
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TRACK_STARTED = True
CELERY_RESULT_EXPIRES = 24 * 3600
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# With Redis down a page that queues a task fails in seconds (and says so) instead of hanging
# on kombu's default of retrying for ever; pages that queue nothing are unaffected.
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 3,
    "interval_start": 0,
    "interval_step": 0.5,
    "interval_max": 1,
}
CELERY_BROKER_TRANSPORT_OPTIONS = {"socket_connect_timeout": 2}
CELERY_REDIS_SOCKET_CONNECT_TIMEOUT = 2
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
# The schedule lives in code; django-celery-beat mirrors it into the database at start.
CELERY_BEAT_SCHEDULE = {
    # Leaders' dashboard aggregates (the dashboard never scans the registry on a request).
    "dashboard-refresh-figures": {
        "task": "dashboard.tasks.refresh_figures",
        "schedule": crontab(minute="*/10"),
    },
    "daily-housekeeping": {
        "task": "core.tasks.daily_housekeeping",
        "schedule": crontab(hour=1, minute=0),
    },
    # 一月一通报: 02:00 on the 1st (CELERY_TIMEZONE = Asia/Shanghai) for the month before.
    "accountability-monthly-bulletin": {
        "task": "accountability.tasks.monthly_bulletin",
        "schedule": crontab(day_of_month=1, hour=2, minute=0),
    },
    "accountability-daily": {
        "task": "accountability.tasks.daily_accountability",
        "schedule": crontab(hour=1, minute=30),
    },
    "inspections-flag-overdue-rectifications": {
        "task": "inspections.tasks.flag_overdue_rectifications",
        "schedule": crontab(hour=1, minute=15),
    },
    # 一月一暗访: a supervision group's month that ended without a filed covert visit is flagged.
    "inspections-flag-missed-supervision-months": {
        "task": "inspections.tasks.flag_missed_supervision_months",
        "schedule": crontab(hour=1, minute=17),
    },
    # Households: open procedures whose public notice has ended wait for the county (公示期满).
    "households-flag-ended-notices": {
        "task": "households.tasks.flag_ended_notices",
        "schedule": crontab(hour=1, minute=20),
    },
    # Import workbooks and error reports older than UPLOAD_RETENTION_DAYS are deleted.
    "households-purge-expired-imports": {
        "task": "households.tasks.purge_expired_imports",
        "schedule": crontab(hour=1, minute=40),
    },
}

# Outgoing e-mail (notifications of rectification items). Unset host = in-app notifications only.
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25, minimum=1)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "fupin@localhost")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"mask_pii": {"()": "core.logging.MaskIdNumbersFilter"}},
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "plain", "filters": ["mask_pii"]},
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # Django's default handlers for these (its DEBUG console, the runserver request log,
        # mail to ADMINS) have no ID-number mask: everything goes through the root handler.
        "django": {"handlers": [], "level": "INFO", "propagate": True},
        "django.server": {"handlers": [], "level": "INFO", "propagate": True},
    },
}

APP_NAME = _("Targeted Poverty Alleviation")
