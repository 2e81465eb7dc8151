"""ID numbers in free text, masked on the way out for users who may not see them (issue 15.9).

Staff and the public type ID numbers into free text — a finding ("户主身份证号410821…"), a
complaint, a note, a reason — and every app shows that text on its pages, in its API bodies and
in its history. Rather than trust each template and serializer to remember a filter, the
response itself is scanned once: for a user without the reveal permission every ID number in an
HTML, JSON or plain-text body is masked by core.pii.mask_id_numbers (the same scanner and mask as
the logs). The mask keeps the length, so nothing else in the body moves. Files (exports) are
binary and mask their text cells themselves; users who may reveal see the text as typed.
It sits near the top of MIDDLEWARE, above anything that would compress or stream the body.
"""

from __future__ import annotations

from core import pii

MASKED_CONTENT_TYPES = ("text/html", "application/json", "text/plain", "text/csv", "application/problem+json")


class MaskIdNumbersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if getattr(response, "streaming", False):
            return response
        content_type = response.get("Content-Type", "").split(";", 1)[0].strip().lower()
        if content_type not in MASKED_CONTENT_TYPES:
            return response
        if pii.can_reveal(getattr(request, "user", None)):
            return response
        body = response.content
        masked = pii.mask_id_numbers_in_body(body)
        if masked != body:
            response.content = masked
        return response
