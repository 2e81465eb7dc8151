"""API of accounts (with their ledger) and entries (with their reversal)."""

from __future__ import annotations

import datetime as dt

import django_filters
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import generics, status
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api.pagination import IdKeysetPagination

from ... import selectors, services
from ...models import (
    Account,
    AccountKind,
    Entry,
    EntryKind,
    Line,
)
from .. import serializers as s


class AccountFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=AccountKind.choices)
    # An account changes when it is opened and when an entry moves its balance (lines are append-only
    # and the balance follows them by a trigger): changed after t = opened, or posted to, after t.
    updated_after = django_filters.IsoDateTimeFilter(
        method="filter_updated_after", label="Only accounts opened or posted to after this time (ISO 8601)"
    )

    def filter_updated_after(self, qs, name, value):
        try:
            value = value.astimezone(dt.UTC)  # PostgreSQL takes offsets up to ±15:59 only
        except OverflowError:
            raise ValidationError({name: [gettext("Enter a valid date/time.")]}) from None
        posted = Line.objects.filter(account=OuterRef("pk"), entry__created_at__gt=value)
        return qs.filter(Q(created_at__gt=value) | Exists(posted))

    class Meta:
        model = Account
        fields = ["kind", "fund", "project"]


class AccountListApi(generics.ListAPIView):
    serializer_class = s.AccountOutputSerializer
    filterset_class = AccountFilter
    pagination_class = IdKeysetPagination
    required_permissions = {"GET": ["funds.view_account"]}

    def get_queryset(self):
        return selectors.account_list(actor=self.request.user)


class AccountLedgerApi(APIView):
    """An account's lines with the running balance. `after` = last entry id of the previous page."""

    required_permissions = {"GET": ["funds.view_entry"]}

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "after", int, description="Keyset cursor: entry id of the last line already read."
            ),
            OpenApiParameter("date_from", OpenApiTypes.DATE),
            OpenApiParameter("date_to", OpenApiTypes.DATE),
            OpenApiParameter(
                "page_size", int, description="Lines per page, from 1 (default 100; above 500 reads as 500)."
            ),
        ],
        responses=inline_serializer(
            "AccountLedger",
            fields={
                "account": s.AccountOutputSerializer(),
                "opening_balance": s.serializers.DecimalField(
                    max_digits=18, decimal_places=2, help_text="The balance before the first line."
                ),
                "results": s.LedgerLineSerializer(many=True),
                "next_after": s.serializers.IntegerField(
                    allow_null=True, help_text="`after` of the next page; null on the last page."
                ),
            },
        ),
    )
    def get(self, request, pk: int):
        account = selectors.account_get(actor=request.user, pk=pk)
        params = _DateParams(data=request.query_params)
        params.is_valid(raise_exception=True)
        size = min(params.validated_data.get("page_size") or 100, 500)  # above the maximum: the maximum
        opening, lines = selectors.account_ledger(
            actor=request.user, account=account, date_from=params.validated_data.get("date_from"),
            date_to=params.validated_data.get("date_to"), after_entry=params.validated_data.get("after"),
        )  # fmt: skip
        page = list(lines[: size + 1])
        more = len(page) > size
        page = page[:size]
        return Response(
            {
                "account": s.AccountOutputSerializer(account).data,
                "opening_balance": f"{opening:.2f}",
                "results": s.LedgerLineSerializer(page, many=True).data,
                "next_after": page[-1].entry_id if more and page else None,
            }
        )


class _DateParams(s.serializers.Serializer):
    after = s.serializers.IntegerField(required=False, min_value=0)
    page_size = s.serializers.IntegerField(required=False, min_value=1)
    date_from = s.serializers.DateField(required=False)
    date_to = s.serializers.DateField(required=False)


class EntryFilter(django_filters.FilterSet):
    # Entries never change: `updated_after` means "posted after".
    updated_after = django_filters.IsoDateTimeFilter(field_name="created_at", lookup_expr="gt")
    kind = django_filters.ChoiceFilter(choices=EntryKind.choices)
    fund = django_filters.NumberFilter(field_name="fund_id")
    booked_from = django_filters.DateFilter(field_name="booked_on", lookup_expr="gte")
    booked_to = django_filters.DateFilter(field_name="booked_on", lookup_expr="lte")

    class Meta:
        model = Entry
        fields = []


class EntryListApi(generics.ListAPIView):
    serializer_class = s.EntryOutputSerializer
    filterset_class = EntryFilter
    pagination_class = IdKeysetPagination
    queryset = Entry.objects.none()
    required_permissions = {"GET": ["funds.view_entry"]}

    def get_queryset(self):
        return (
            selectors.entry_list(actor=self.request.user)
            .select_related("reversed_by")
            .prefetch_related("lines__account")
        )


class EntryDetailApi(APIView):
    required_permissions = {"GET": ["funds.view_entry"]}

    @extend_schema(responses=s.EntryOutputSerializer)
    def get(self, request, pk: int):
        return Response(s.EntryOutputSerializer(selectors.entry_get(actor=request.user, pk=pk)).data)


class EntryReverseApi(APIView):
    required_permissions = {"POST": ["funds.add_entry"]}

    @extend_schema(request=s.ReasonInputSerializer, responses={201: s.EntryOutputSerializer})
    def post(self, request, pk: int):
        entry = selectors.entry_get(actor=request.user, pk=pk)
        data = s.ReasonInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        if entry.request_id:
            reversal = services.disbursement_reverse(
                actor=request.user, request=entry.request, reason=data.validated_data["reason"]
            )
        else:
            reversal = services.entry_reverse(
                actor=request.user, entry=entry, reason=data.validated_data["reason"]
            )
        return Response(s.EntryOutputSerializer(reversal).data, status=status.HTTP_201_CREATED)
