"""OpenAPI post-processing: document the error answers every endpoint can give, and keep operation
ids to what every generated client can name; the one schema view (`SchemaView`).

drf-spectacular documents only the success answer. Clients (and the schemathesis run in
tests/security/test_api_fuzz.py) need the others too, with our one error body
(core.api.errors): {"code": "...", "message": "...", "errors": {"field": ["...", ...]}}.
"""

from __future__ import annotations

import re

from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils import translation
from drf_spectacular.utils import extend_schema
from drf_spectacular.views import SpectacularAPIView
from rest_framework.response import Response

ERROR_COMPONENT = "Error"
ERROR_SCHEMA = {
    "type": "object",
    "description": "The error body of every API error (core.api.errors).",
    "properties": {
        "code": {"type": "string", "description": "Machine-readable reason, e.g. invalid, not_found."},
        "message": {"type": "string", "description": "The first problem, in the user's language."},
        "errors": {
            "type": "object",
            "description": "Field name → messages; non_field_errors for the whole request.",
            "additionalProperties": {"type": "array", "items": {"type": "string"}},
        },
    },
    "required": ["code", "message", "errors"],
}
DESCRIPTIONS = {
    "400": "Invalid input (a field, a filter, the cursor): `errors` names each field and its rule.",
    "401": "Not authenticated, or the token is invalid, expired or revoked.",
    "403": "Your role may not do this (leaders never write).",
    "404": "Not found, or outside your region.",
    "405": "Method not allowed.",
    "409": "Refused by a business rule (status transition, conflict).",
    "429": "Too many requests.",
}
WRITE_METHODS = {"post", "put", "patch", "delete"}


def _codes(method: str, operation: dict, path: str) -> list[str]:
    # 404 everywhere: an object in the path, or a region or object named in a filter, may lie
    # outside the caller's region, which is "not found" by the scoping rule.
    codes = ["401", "403", "404"]
    has_params = "{" in path
    has_query = any(p.get("in") == "query" for p in operation.get("parameters", []))
    if method in WRITE_METHODS or has_query or has_params or "requestBody" in operation:
        codes.append("400")
    if method in WRITE_METHODS:
        codes.append("409")
    return codes


def document_error_responses(result, generator, request, public):
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas.setdefault(ERROR_COMPONENT, ERROR_SCHEMA)
    ref = {"$ref": f"#/components/schemas/{ERROR_COMPONENT}"}
    for path, operations in result.get("paths", {}).items():
        for method, operation in operations.items():
            if method not in {"get", "post", "put", "patch", "delete", "head", "options"}:
                continue
            responses = operation.setdefault("responses", {})
            for code in _codes(method, operation, path):
                responses.setdefault(
                    code,
                    {"description": DESCRIPTIONS[code], "content": {"application/json": {"schema": ref}}},
                )
    return result


def identifier_operation_ids(result, generator, request, public):
    """Operation ids as identifiers: a path such as items/export.xlsx gave
    `inspections_items_export.xlsx_retrieve`, which a generated client cannot name a function."""
    for methods in result.get("paths", {}).values():
        for operation in methods.values():
            if isinstance(operation, dict) and "operationId" in operation:
                operation["operationId"] = re.sub(r"\W", "_", operation["operationId"])
    return result


# The generated schemas of this process, by API version and URL conf: generating one took about
# 1.2 s, and the public schema is the same for every caller and language. Emptied whenever a setting
# changes (tests override ROOT_URLCONF or SPECTACULAR_SETTINGS); a deploy starts new processes.
_GENERATED: dict[tuple, dict] = {}


@receiver(setting_changed)
def _forget_generated_schemas(**kwargs):
    _GENERATED.clear()


class SchemaView(SpectacularAPIView):
    """One canonical schema: its text in the product's language whatever the request's
    Accept-Language or ?lang= (a client generated twice must come out the same), served as
    fupin-api.json / .yaml (an ASCII file name: the title's Chinese made an RFC 2047 header).
    Generated once per process (`_GENERATED`) while it is public, as it is by default."""

    @extend_schema(exclude=True)  # the schema does not describe itself (SERVE_INCLUDE_SCHEMA)
    def get(self, request, *args, **kwargs):
        with translation.override(settings.LANGUAGE_CODE):
            if not self.serve_public:  # a schema per caller's permissions: nothing to share
                return self._get_schema_response(request)
            version = self.api_version or request.version or self._get_version_parameter(request)
            key = (
                version,
                self.urlconf or settings.ROOT_URLCONF,
                id(self.patterns) if self.patterns else None,
            )
            schema = _GENERATED.get(key)
            if schema is None:
                generator = self.generator_class(
                    urlconf=self.urlconf, api_version=version, patterns=self.patterns
                )
                schema = _GENERATED[key] = generator.get_schema(request=request, public=True)
            return Response(
                data=schema,
                headers={"Content-Disposition": f'inline; filename="{self._get_filename(request, version)}"'},
            )

    def _get_filename(self, request, version):
        suffix = self.perform_content_negotiation(request, force=True)[0].format
        return f"fupin-api{f'-{version}' if version else ''}.{suffix}"
