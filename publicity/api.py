from django.http import HttpResponse
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import api_view
from rest_framework.request import Request
from rest_framework.response import Response

from accounts import audit
from accounts.phones import validate_supervision_phone
from config.api import MAX_ID
from publicity import services
from publicity.access import notice_for_user, notices_for_user, objection_for_user
from publicity.models import Notice, Objection
from publicity.pdf import notice_pdf_response


class NoticeInput(serializers.Serializer):
    unit_code = serializers.CharField(max_length=12)
    application_ids = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=MAX_ID), allow_empty=False, max_length=1000
    )
    supervision_phone = serializers.CharField(max_length=30, validators=[validate_supervision_phone])
    contact_person = serializers.CharField(max_length=30)
    agency_name = serializers.CharField(max_length=100)
    title = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    external_url = serializers.URLField(required=False, allow_blank=True, default="")


class NoticeOutput(serializers.ModelSerializer):
    unit_code = serializers.CharField(source="unit_id")
    lines = serializers.SerializerMethodField()

    class Meta:
        model = Notice
        fields = [
            "id",
            "state",
            "unit_code",
            "title",
            "supervision_phone",
            "contact_person",
            "agency_name",
            "external_url",
            "published_on",
            "period_start",
            "period_end",
            "period_provisional",
            "lines",
        ]

    def get_lines(self, notice) -> list[dict]:
        return [
            {
                "seq": line.seq,
                "application_id": line.application_id,
                "name": line.name,
                "id_number": line.masked_id_number,
                "categories": line.categories,
                "place": line.place,
            }
            for line in notice.lines.all()
        ]


@extend_schema(methods=["GET"], operation_id="v1_notices_list", responses=NoticeOutput(many=True))
@extend_schema(methods=["POST"], request=NoticeInput, responses={201: NoticeOutput})
@api_view(["GET", "POST"])
def notices_view(request: Request) -> Response:
    if request.method == "GET":
        notices = notices_for_user(request.user).prefetch_related("lines")[:100]
        return Response(NoticeOutput(notices, many=True).data)
    data = NoticeInput(data=request.data)
    data.is_valid(raise_exception=True)
    notice = services.notice_create(actor=request.user, **data.validated_data)
    return Response(NoticeOutput(notice).data, status=status.HTTP_201_CREATED)


@extend_schema(responses=NoticeOutput)
@api_view(["GET"])
def notice_view(request: Request, pk: int) -> Response:
    return Response(NoticeOutput(notice_for_user(request.user, pk)).data)


class PublishInput(serializers.Serializer):
    published_on = serializers.DateField(required=False)


@extend_schema(request=PublishInput, responses=NoticeOutput)
@api_view(["POST"])
def publish_view(request: Request, pk: int) -> Response:
    notice = notice_for_user(request.user, pk)
    data = PublishInput(data=request.data)
    data.is_valid(raise_exception=True)
    notice = services.notice_publish(
        actor=request.user, notice_id=notice.pk, published_on=data.validated_data.get("published_on")
    )
    return Response(NoticeOutput(notice).data)


@extend_schema(request=None, responses=NoticeOutput)
@api_view(["POST"])
def close_view(request: Request, pk: int) -> Response:
    notice = notice_for_user(request.user, pk)
    return Response(NoticeOutput(services.notice_close(notice_id=notice.pk, actor=request.user)).data)


class ObjectionInput(serializers.Serializer):
    application_id = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    content = serializers.CharField(max_length=2000)
    reporter_name = serializers.CharField(max_length=50, allow_blank=True, default="")
    reporter_contact = serializers.CharField(max_length=50, allow_blank=True, default="")


class ObjectionOutput(serializers.ModelSerializer):
    application_id = serializers.IntegerField(source="line.application_id")

    class Meta:
        model = Objection
        fields = [
            "id",
            "application_id",
            "content",
            "reporter_name",
            "reporter_contact",
            "state",
            "finding",
            "received_at",
            "resolved_at",
        ]


@extend_schema(request=ObjectionInput, responses={201: ObjectionOutput})
@api_view(["POST"])
def objections_view(request: Request, pk: int) -> Response:
    notice = notice_for_user(request.user, pk)
    data = ObjectionInput(data=request.data)
    data.is_valid(raise_exception=True)
    objection = services.objection_record(actor=request.user, notice_id=notice.pk, **data.validated_data)
    return Response(ObjectionOutput(objection).data, status=status.HTTP_201_CREATED)


class ResolveInput(serializers.Serializer):
    upheld = serializers.BooleanField()
    finding = serializers.CharField(max_length=2000)


@extend_schema(request=ResolveInput, responses=ObjectionOutput)
@api_view(["POST"])
def resolve_view(request: Request, pk: int) -> Response:
    objection = objection_for_user(request.user, pk)
    data = ResolveInput(data=request.data)
    data.is_valid(raise_exception=True)
    objection = services.objection_resolve(actor=request.user, objection_id=objection.pk, **data.validated_data)
    return Response(ObjectionOutput(objection).data)


class PdfPending(serializers.Serializer):
    status = serializers.ChoiceField(choices=["rendering", "failed"])
    progress = serializers.IntegerField()
    detail = serializers.CharField()


@extend_schema(responses={(200, "application/pdf"): bytes, 202: PdfPending, 503: PdfPending})
@api_view(["GET"])
def pdf_view(request: Request, pk: int) -> HttpResponse:
    response = notice_pdf_response(notice_for_user(request.user, pk))
    return audit.downloaded(request, response, object_type="notice", object_id=pk, document="notice")
