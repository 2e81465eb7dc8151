from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from assistance.models import Measure
from core.models import Region
from households.models import Household

from ..models import (
    Account,
    ContractChange,
    DisbursementRequest,
    Entry,
    Fund,
    FundSource,
    Payee,
    PayeeKind,
    PaymentKind,
    Project,
)

MONEY = {"max_digits": 16, "decimal_places": 2}


class FundOutputSerializer(serializers.ModelSerializer):
    region_name = serializers.CharField(source="region.name", read_only=True)

    class Meta:
        model = Fund
        fields = [
            "id",
            "code",
            "name",
            "source",
            "fiscal_year",
            "region",
            "region_name",
            "note",
            "created_at",
            "updated_at",
        ]


class FundInputSerializer(serializers.Serializer):
    code = serializers.CharField(max_length=32)
    name = serializers.CharField(max_length=100)
    source = serializers.ChoiceField(choices=FundSource.choices)
    fiscal_year = serializers.IntegerField(min_value=2013, max_value=2100)
    region = serializers.PrimaryKeyRelatedField(queryset=Region.objects.all())
    note = serializers.CharField(required=False, allow_blank=True, default="")


class ProjectOutputSerializer(serializers.ModelSerializer):
    county_name = serializers.CharField(source="county.name", read_only=True)
    village_name = serializers.CharField(source="village.name", read_only=True, default="")

    class Meta:
        model = Project
        fields = [
            "id", "code", "name", "kind", "county", "county_name", "village", "village_name", "budget",
            "start_date", "review_agency", "review_approved_amount", "review_date", "procurement_method",
            "bidders", "winner", "contractor", "contract_amount", "bid_opening_date", "contract_date", "measures",
            "created_at", "updated_at",
        ]  # fmt: skip
        read_only_fields = ["contractor"]


class MissingStepSerializer(serializers.Serializer):
    field = serializers.CharField(help_text="The project field to record.")
    message = serializers.CharField(help_text="The refusal a payment meets until it is recorded.")


class ProjectDetailSerializer(ProjectOutputSerializer):
    """One project with the steps of its chain a payment still waits for (issue 20.1), in order."""

    missing_steps = serializers.SerializerMethodField()

    class Meta(ProjectOutputSerializer.Meta):
        fields = [*ProjectOutputSerializer.Meta.fields, "missing_steps"]

    @extend_schema_field(MissingStepSerializer(many=True))
    def get_missing_steps(self, obj) -> list[dict]:
        from funds.selectors.rules import project_chain_missing

        return [{"field": step.field, "message": str(step.message)} for step in project_chain_missing(obj)]


class ContractChangeOutputSerializer(serializers.ModelSerializer):
    recorded_by_name = serializers.CharField(source="recorded_by.__str__", read_only=True)

    class Meta:
        model = ContractChange
        fields = [
            "id", "project", "amount", "reason", "approved_by", "approval_document", "signed_on", "recorded_by",
            "recorded_by_name", "created_at", "updated_at",
        ]  # fmt: skip


class ContractChangeInputSerializer(serializers.Serializer):
    """补充协议: the change of the contract amount (negative lowers it), its reason and approval."""

    amount = serializers.CharField(
        max_length=20, help_text="Yuan, two decimals; negative lowers the contract."
    )
    reason = serializers.CharField(max_length=300)
    approved_by = serializers.CharField(max_length=100)
    approval_document = serializers.CharField(max_length=100)
    signed_on = serializers.DateField()


class PaymentLimitRowSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=PaymentKind.choices)
    ceiling = serializers.DecimalField(**MONEY, help_text="Refused above.")
    soft_limit = serializers.DecimalField(**MONEY, help_text="A stated reason needed above.")


class PaymentRulesSerializer(serializers.Serializer):
    """A county's payment rules as they apply (its own row, else the province's defaults, else the
    built-in ones): the investment-review threshold and each kind of payment's limits."""

    region = serializers.CharField(source="code")
    region_name = serializers.CharField(source="name")
    own = serializers.SerializerMethodField(help_text="The region has rules of its own (not the defaults).")
    review_threshold = serializers.SerializerMethodField()
    limits = serializers.SerializerMethodField()

    def _reads(self):
        """The settings tables read once for the whole list (a region's rows, its province's)."""
        from funds.selectors.rules import RuleReads

        if "rule_reads" not in self.context:
            self.context["rule_reads"] = RuleReads()
        return self.context["rule_reads"]

    def get_own(self, region) -> bool:
        return self._reads().has_own(region.code)

    @extend_schema_field(serializers.DecimalField(**MONEY))
    def get_review_threshold(self, region) -> str:
        return f"{self._reads().threshold(region.code):.2f}"

    @extend_schema_field(PaymentLimitRowSerializer(many=True))
    def get_limits(self, region) -> list[dict]:
        rows = []
        for kind in PaymentKind.values:
            ceiling, soft = self._reads().limits(region.code, kind)
            rows.append({"kind": kind, "ceiling": f"{ceiling:.2f}", "soft_limit": f"{soft:.2f}"})
        return rows


class PaymentSettingsInputSerializer(serializers.Serializer):
    region = serializers.RegexField(r"^\d{12}$", help_text="A county, or the province for its defaults.")
    review_threshold = serializers.CharField(max_length=20)


class PaymentLimitInputSerializer(serializers.Serializer):
    region = serializers.RegexField(r"^\d{12}$", help_text="A county, or the province for its defaults.")
    kind = serializers.ChoiceField(choices=PaymentKind.choices)
    ceiling = serializers.CharField(max_length=20)
    soft_limit = serializers.CharField(max_length=20)


class ProjectInputSerializer(serializers.ModelSerializer):
    county = serializers.PrimaryKeyRelatedField(queryset=Region.objects.filter(level="county"))
    village = serializers.PrimaryKeyRelatedField(
        queryset=Region.objects.filter(level="village"), required=False, allow_null=True
    )

    class Meta:
        model = Project
        fields = [
            "code", "name", "kind", "county", "village", "budget", "start_date", "review_agency",
            "review_approved_amount", "review_date", "procurement_method", "bidders", "winner",
            "contract_amount", "bid_opening_date", "contract_date", "measures",
        ]  # fmt: skip
        validators = []  # uniqueness is the database's and the service's job


class AccountOutputSerializer(serializers.ModelSerializer):
    fund_name = serializers.CharField(source="fund.name", read_only=True)

    class Meta:
        model = Account
        fields = [
            "id",
            "fund",
            "fund_name",
            "kind",
            "name",
            "region",
            "project",
            "payee_kind",
            "balance",
            "last_booked_on",
        ]


class LineSerializer(serializers.Serializer):
    account = serializers.IntegerField(source="account_id")
    account_name = serializers.CharField(source="account.name")
    debit = serializers.DecimalField(**MONEY)
    credit = serializers.DecimalField(**MONEY)


class EntryOutputSerializer(serializers.ModelSerializer):
    lines = LineSerializer(many=True, read_only=True)
    created_by_name = serializers.CharField(source="created_by.__str__", read_only=True)
    reversed_by = serializers.SerializerMethodField()

    class Meta:
        model = Entry
        fields = [
            "id", "fund", "kind", "amount", "booked_on", "memo", "reverses", "reversed_by", "request",
            "created_by", "created_by_name", "created_at", "lines",
        ]  # fmt: skip

    def get_reversed_by(self, obj) -> int | None:
        reversal = getattr(obj, "reversed_by", None)
        return reversal.pk if reversal else None


class LedgerLineSerializer(serializers.Serializer):
    entry = serializers.IntegerField(source="entry_id")
    booked_on = serializers.DateField(source="entry.booked_on")
    kind = serializers.CharField(source="entry.kind")
    memo = serializers.CharField(source="entry.memo")
    debit = serializers.DecimalField(**MONEY)
    credit = serializers.DecimalField(**MONEY)
    running_balance = serializers.DecimalField(max_digits=18, decimal_places=2)


class AmountInputSerializer(serializers.Serializer):
    amount = serializers.DecimalField(**MONEY)
    booked_on = serializers.DateField(required=False, allow_null=True)
    memo = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class AllocationInputSerializer(AmountInputSerializer):
    from_account = serializers.IntegerField(
        required=False, help_text="County account; the fund pool if omitted."
    )
    county = serializers.CharField(required=False, help_text="12-digit county code (fund pool → county).")
    project = serializers.IntegerField(required=False, help_text="Project id (pool or county → project).")

    def validate(self, attrs):
        if bool(attrs.get("county")) == bool(attrs.get("project")):
            raise serializers.ValidationError({"county": "Give either a county or a project."})
        return attrs


class ReasonInputSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=300)


class RequestOutputSerializer(serializers.ModelSerializer):
    maker_name = serializers.CharField(source="maker.__str__", read_only=True)
    checker_name = serializers.SerializerMethodField()
    entry = serializers.SerializerMethodField()
    household_file_number = serializers.CharField(
        source="household.file_number", read_only=True, default=None
    )

    class Meta:
        model = DisbursementRequest
        fields = [
            "id", "idempotency_key", "from_account", "project", "payee_kind", "household",
            "household_file_number", "payee_name", "measure", "amount", "purpose", "status", "maker", "maker_name",
            "checker", "checker_name", "decided_at", "rejection_reason", "entry", "created_at", "updated_at",
            "kind", "payee", "limit_reason", "confirmed_different",
        ]  # fmt: skip

    def get_checker_name(self, obj) -> str | None:
        return str(obj.checker) if obj.checker_id else None

    def get_entry(self, obj) -> int | None:
        entry = getattr(obj, "entry", None)
        return entry.pk if entry else None


class RequestDetailSerializer(RequestOutputSerializer):
    """One request as its page shows it: what its checker sees on it (every refusal it would meet
    today and every flag, while pending) and, once approved in a month-end batch (一笔一笔审核), how:
    the batch, the page shown, the checker, the flags shown on its row and the checker's note on
    them (all null when it was not approved in a batch)."""

    checker_flags = serializers.SerializerMethodField()
    batch = serializers.IntegerField(source="batch_approval.batch_id", read_only=True, default=None)
    batch_page = serializers.IntegerField(source="batch_approval.page.number", read_only=True, default=None)
    batch_checker_name = serializers.CharField(source="batch_approval.checker", read_only=True, default=None)
    batch_approved_at = serializers.DateTimeField(source="batch_approval.at", read_only=True, default=None)
    batch_flags = serializers.ListField(
        child=serializers.CharField(), source="batch_approval.flags", read_only=True, default=None
    )
    batch_note = serializers.CharField(source="batch_approval.note", read_only=True, default=None)

    class Meta(RequestOutputSerializer.Meta):
        fields = [
            *RequestOutputSerializer.Meta.fields, "checker_flags", "batch", "batch_page", "batch_checker_name",
            "batch_approved_at", "batch_flags", "batch_note",
        ]  # fmt: skip

    def get_checker_flags(self, obj) -> list[str]:
        from funds.selectors import request_flags

        return request_flags(obj)


class RequestInputSerializer(serializers.Serializer):
    idempotency_key = serializers.CharField(
        max_length=64, required=False, help_text="Or send the Idempotency-Key header. Repeats pay once."
    )
    from_account = serializers.IntegerField()
    amount = serializers.DecimalField(**MONEY)
    purpose = serializers.CharField(max_length=200)
    payee_kind = serializers.ChoiceField(choices=PayeeKind.choices)
    household = serializers.PrimaryKeyRelatedField(
        queryset=Household.objects.all(), required=False, allow_null=True
    )
    payee_name = serializers.CharField(
        max_length=100, required=False, allow_blank=True, default="",
        help_text="Refused when given: a payee is chosen by its record (payee), never typed.",
    )  # fmt: skip
    measure = serializers.PrimaryKeyRelatedField(
        queryset=Measure.objects.select_related("plan__household"), required=False, allow_null=True
    )
    payee = serializers.PrimaryKeyRelatedField(
        queryset=Payee.objects.all(), required=False, allow_null=True,
        help_text="An enterprise or cooperative payee record; a project's contractor is `contractor` on the project.",
    )  # fmt: skip
    kind = serializers.ChoiceField(choices=PaymentKind.choices, required=False, allow_null=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Households, payees and measures are chosen by id within the reader's scope: one outside
        # it answers as one that does not exist (the field named, nothing told about the other county).
        actor = self.context.get("actor")
        if actor is not None:
            from core.scoping import scope

            for name, field in (("household", "village_id"), ("payee", "county_id"),
                                ("measure", "plan__household__village_id")):  # fmt: skip
                self.fields[name].queryset = scope(self.fields[name].queryset, actor=actor, field=field)

    limit_reason = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
    confirmed_different = serializers.BooleanField(required=False, default=False)


class RequestPreviewSerializer(serializers.Serializer):
    refusals = serializers.DictField(child=serializers.CharField())
    flags = serializers.ListField(child=serializers.CharField())
    balance = serializers.DecimalField(max_digits=18, decimal_places=2)
    ceiling = serializers.DecimalField(max_digits=18, decimal_places=2)
    soft_limit = serializers.DecimalField(max_digits=18, decimal_places=2)
    needs_reason = serializers.BooleanField()
    duplicates = serializers.SerializerMethodField()

    def get_duplicates(self, obj) -> list[int]:
        return [r.pk for r in obj.duplicates]


class ReconciliationSerializer(serializers.Serializer):
    label = serializers.CharField()
    as_of = serializers.DateField()
    budget = serializers.DecimalField(max_digits=18, decimal_places=2)
    allocated = serializers.DecimalField(max_digits=18, decimal_places=2)
    allocated_in = serializers.DecimalField(max_digits=18, decimal_places=2)
    allocated_out = serializers.DecimalField(max_digits=18, decimal_places=2)
    disbursed = serializers.DecimalField(
        max_digits=18, decimal_places=2, help_text="Paid: a household's payment once the bank says so."
    )
    awaiting_bank = serializers.DecimalField(
        max_digits=18,
        decimal_places=2,
        help_text="Household payments approved or sent, not yet paid by the bank.",
    )
    reversed = serializers.DecimalField(max_digits=18, decimal_places=2)
    balance = serializers.DecimalField(max_digits=18, decimal_places=2)
    difference = serializers.DecimalField(max_digits=18, decimal_places=2)
    reconciled = serializers.BooleanField()


class FlagSerializer(serializers.Serializer):
    code = serializers.CharField()
    message = serializers.CharField()
    amount = serializers.DecimalField(max_digits=18, decimal_places=2)
    booked_on = serializers.DateField(allow_null=True)
    entry_id = serializers.IntegerField(allow_null=True)
    request_id = serializers.IntegerField(allow_null=True)
    project_id = serializers.IntegerField(allow_null=True)
    measure_id = serializers.IntegerField(allow_null=True, help_text="The measure paid above its plan.")
