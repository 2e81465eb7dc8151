from rest_framework import serializers


class RegionRefSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    level = serializers.CharField()


class FiguresField(serializers.DictField):
    """{metric: {key: value}} — key '' for a plain total; years and months for trends."""

    child = serializers.DictField(child=serializers.DecimalField(max_digits=20, decimal_places=2))


class ChildSerializer(serializers.Serializer):
    region = RegionRefSerializer()
    figures = FiguresField()


class OverviewSerializer(serializers.Serializer):
    region = RegionRefSerializer()
    as_of = serializers.DateTimeField(allow_null=True)
    figures = FiguresField()
    children = ChildSerializer(many=True)
