from django.apps import AppConfig


class ScaleConfig(AppConfig):
    """Province-scale synthetic data and the benchmark. Holds no models; may import every app."""

    name = "scale"
    verbose_name = "Province-scale data and benchmarks"
    default_auto_field = "django.db.models.BigAutoField"
