"""API of province problem lists: import, send, recipients' progress and answers."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiResponse, PolymorphicProxySerializer, extend_schema
from rest_framework import generics, status
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api.pagination import IdKeysetPagination
from core.scoping import scope

from ... import selectors, services
from ...models import AnswerStatus, ProblemAnswer, ProblemListRecipient, ProvinceProblemList
from .. import serializers as s


class ProblemListListApi(generics.ListAPIView):
    serializer_class = s.ProvinceProblemListSerializer
    queryset = ProvinceProblemList.objects.none()

    def get_queryset(self):
        return selectors.problem_list_list(actor=self.request.user)


class ProblemListImportApi(APIView):
    """Import a list from .xlsx (序号, 类别, 问题描述). One bad row: 400 naming every bad row, nothing imported."""

    parser_classes = [MultiPartParser]
    required_permissions = {"POST": ["inspections.add_provinceproblemlist"]}
    upload_fields = ("file",)  # core.uploads checks it before it is read (problem_list_import)

    @extend_schema(
        request=s.ProvinceProblemListImportSerializer, responses={201: s.ProvinceProblemListSerializer}
    )
    def post(self, request):
        data = s.ProvinceProblemListImportSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        plist = services.problem_list_import(
            actor=request.user, upload=v["file"], title=v["title"], issued_on=v["issued_on"],
            answer_deadline=v["answer_deadline"], issued_by=v.get("issued_by", ""),
        )  # fmt: skip
        plist = selectors.problem_list_get(actor=request.user, pk=plist.pk)
        return Response(s.ProvinceProblemListSerializer(plist).data, status=status.HTTP_201_CREATED)


class ProblemListSendApi(APIView):
    required_permissions = {"POST": ["inspections.change_provinceproblemlist"]}

    @extend_schema(request=None, responses=OpenApiResponse(description='{"recipients_added": n}'))
    def post(self, request, pk: int):
        plist = selectors.problem_list_get(actor=request.user, pk=pk)
        return Response(
            {"recipients_added": services.problem_list_send(actor=request.user, problem_list=plist)}
        )


class RecipientPagination(IdKeysetPagination):
    pass


class ProblemListRecipientsApi(generics.ListAPIView):
    """Progress of each recipient (answered / total / present)."""

    serializer_class = s.ProblemListRecipientProgressSerializer
    queryset = ProblemListRecipient.objects.none()
    pagination_class = RecipientPagination

    def get_queryset(self):
        plist = selectors.problem_list_get(actor=self.request.user, pk=self.kwargs["pk"])
        return selectors.recipient_progress(actor=self.request.user, problem_list=plist)


class RecipientAnswersApi(generics.ListAPIView):
    serializer_class = s.ProblemAnswerSerializer
    queryset = ProblemAnswer.objects.none()
    pagination_class = IdKeysetPagination

    def get_queryset(self):
        recipient = selectors.recipient_get(actor=self.request.user, pk=self.kwargs["pk"])
        return selectors.answers_for_recipient(actor=self.request.user, recipient=recipient)


class AnswerApi(APIView):
    """The recipient answers a problem present; the city reviews an answer "not present here".

    Answer (JSON): {"status": "present", "note", "root_cause", "rectification_plan", "items": [...]}; an
    answer "not present here" carries its evidence files, so it is posted to answers/{id}/absent/.
    Review (city, JSON): {"decision": "accept" | "return", "note"} — returning needs the reason."""

    required_permissions = {"POST": ["inspections.change_problemanswer"]}

    @extend_schema(
        request=PolymorphicProxySerializer(
            component_name="ProblemAnswerOrReview",
            serializers=[s.ProblemAnswerInputSerializer, s.ProblemAnswerReviewSerializer],
            resource_type_field_name=None,
        ),
        responses=s.ProblemAnswerSerializer,
    )
    def post(self, request, pk: int):
        answer = _answer_get(request, pk)
        if "decision" in request.data:
            review = s.ProblemAnswerReviewSerializer(data=request.data)
            review.is_valid(raise_exception=True)
            answer = services.problem_answer_review(
                actor=request.user, answer=answer, accept=review.validated_data["decision"] == "accept",
                note=review.validated_data.get("note", ""),
            )  # fmt: skip
            return Response(s.ProblemAnswerSerializer(answer).data)
        data = s.ProblemAnswerInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        answer = services.problem_answer_set(actor=request.user, answer=answer, **data.validated_data)
        return Response(s.ProblemAnswerSerializer(answer).data)


class AbsentAnswerApi(APIView):
    """The recipient answers a problem "not present here" (本地不存在), multipart/form-data: the note
    and at least one evidence file (field `files`, repeated); the city then reviews it."""

    parser_classes = [MultiPartParser]
    required_permissions = {"POST": ["inspections.change_problemanswer"]}
    upload_fields = ("files",)  # core.uploads, in problem_answer_set

    @extend_schema(request=s.ProblemAnswerAbsentSerializer, responses=s.ProblemAnswerSerializer)
    def post(self, request, pk: int):
        answer = _answer_get(request, pk)
        data = s.ProblemAnswerAbsentSerializer(data={"note": request.data.get("note", "")})
        data.is_valid(raise_exception=True)
        answer = services.problem_answer_set(
            actor=request.user, answer=answer, status=AnswerStatus.ABSENT, note=data.validated_data["note"],
            files=request.FILES.getlist("files"),
        )  # fmt: skip
        return Response(s.ProblemAnswerSerializer(answer).data)


def _answer_get(request, pk: int) -> ProblemAnswer:
    recipients = scope(ProblemListRecipient.objects.all(), actor=request.user, field="region_id")
    return get_object_or_404(ProblemAnswer.objects.filter(recipient__in=recipients), pk=pk)
