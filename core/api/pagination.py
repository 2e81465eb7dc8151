from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.pagination import CursorPagination


class KeysetPagination(CursorPagination):
    """Keyset (cursor) pagination: page 5,000 costs what page 1 costs.

    The default order is (updated_at, id) so that a client pulling changes with
    `updated_after` walks forward through everything changed since its last pull.
    """

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500
    ordering = ("updated_at", "id")

    def decode_cursor(self, request):
        # A cursor the client mangled is bad input naming its field (400), not a missing page.
        try:
            return super().decode_cursor(request)
        except NotFound:
            raise ValidationError({self.cursor_query_param: [_("Invalid cursor")]}) from None


class IdKeysetPagination(KeysetPagination):
    ordering = ("id",)
