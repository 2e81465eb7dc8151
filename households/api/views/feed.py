"""The households change feed (GET /api/v1/households/feed/): every committed change in transaction
order, tombstones for households that left, "resync" when the reader's scope changed.

Never on a replica: a standby's snapshot is not the primary's, and the horizon the token relies on
would be wrong — so this view does not opt in to `@replica_reads` (core.db_replicas), and the
selector reads `using("default")`.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from households.models import Household
from households.selectors.feed import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, household_feed

from .. import serializers as s


class FeedHouseholdSerializer(s.HouseholdListSerializer):
    members = s.MemberOutputSerializer(many=True, read_only=True)

    class Meta(s.HouseholdListSerializer.Meta):
        fields = [*s.HouseholdListSerializer.Meta.fields, "members"]


class FeedChangeSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(
        choices=["household", "removed"],
        help_text="household: the household as it is now (insert or change, members included); removed: it "
        "left the reader's scope (moved to a village outside it, or deleted) — delete it from the mirror.",
    )
    id = serializers.IntegerField(help_text="The household's id.")
    at = serializers.DateTimeField(help_text="The household's updated_at, or when it left.")
    household = FeedHouseholdSerializer(allow_null=True, help_text="null for removed.")


class FeedPageSerializer(serializers.Serializer):
    token = serializers.CharField(
        allow_blank=True,
        help_text="Send it back as `token` for the next page. Empty with resync: start again from an empty token.",
    )
    more = serializers.BooleanField(
        help_text="More changes are ready now: ask again at once; else poll later."
    )
    resync = serializers.BooleanField(
        help_text="The reader's scope changed since the token was made: drop the mirror and start from an empty "
        "token (no changes in this answer)."
    )
    changes = FeedChangeSerializer(many=True)


class FeedQuerySerializer(serializers.Serializer):
    token = serializers.CharField(required=False, allow_blank=True, default="", trim_whitespace=True)
    page_size = serializers.IntegerField(
        required=False,
        default=DEFAULT_PAGE_SIZE,
        min_value=1,
        max_value=MAX_PAGE_SIZE,
        error_messages={
            "invalid": _("page_size: a whole number from 1 to 500."),
            "min_value": _("page_size: a whole number from 1 to 500."),
            "max_value": _("page_size: a whole number from 1 to 500."),
        },
    )


class HouseholdFeedApi(APIView):
    """The change feed: households in the reader's scope in the order of the transactions that changed
    them (a member's change included), with tombstones for those that left. At least once, no gaps:
    a token never passes a write still uncommitted. Start with an empty token; send each answer's
    token back; while `more`, ask again at once, else poll later."""

    queryset = Household.objects.none()

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "token", str, description="The previous answer's token; empty or absent: from the beginning."
            ),
            OpenApiParameter(
                "page_size",
                int,
                description=f"Changes per page, 1–{MAX_PAGE_SIZE} (default {DEFAULT_PAGE_SIZE}).",
            ),
        ],
        responses={200: FeedPageSerializer},
        operation_id="households_feed",
    )
    def get(self, request):
        query = FeedQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        page = household_feed(request.user, query.validated_data["token"], query.validated_data["page_size"])
        body = {
            "token": page.token,
            "more": page.more,
            "resync": page.resync,
            "changes": [
                {"kind": c.kind, "id": c.id, "at": c.at, "household": c.household} for c in page.changes
            ],
        }
        return Response(FeedPageSerializer(body, context={"request": request}).data)
