import json
from collections.abc import Iterator
from contextlib import contextmanager

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import FileResponse, HttpRequest, HttpResponse
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers, status
from rest_framework.decorators import api_view, parser_classes
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import BasePagination
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import AllowAny
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.utils.urls import replace_query_param
from rest_framework.views import APIView

from accounts import audit
from accounts.idnumber import mask
from accounts.phones import validate_contact_phone
from applications import progress, services, workflow
from applications.access import application_for_user
from applications.letters import decision_letter_response
from applications.models import Application, Channel
from applications.pdf import approval_form_response
from applications.selectors import QueueFilters, application_queue, known_count, queue_page
from applications.views import MaterialGone, material_response
from config.api import MAX_ID
from config.pagination import SEARCH_COUNT_CAP, CappedPaginator, Cursor
from config.throttling import ProgressThrottle, Refused, chinese_throttled
from eligibility.api import FactsSerializer
from eligibility.facts import FACT_NAMES, Facts
from exits.models import Recognition


class ApplicantInput(serializers.Serializer):
    name = serializers.CharField(max_length=50)
    id_number = serializers.CharField(max_length=30)
    phone = serializers.CharField(
        max_length=20, required=False, allow_blank=True, default="", validators=[validate_contact_phone]
    )
    address = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class ApplicationInput(serializers.Serializer):
    unit_code = serializers.CharField(max_length=12)
    channel = serializers.ChoiceField(choices=Channel.choices)
    applicant = ApplicantInput()
    facts = FactsSerializer()
    commitments = serializers.ListField(child=serializers.CharField(max_length=40), allow_empty=True, default=list)
    consent_recorded = serializers.BooleanField(default=False)

    def to_internal_value(self, data):
        # The ID number is asked once: the applicant's is the facts' unless given again.
        if isinstance(data, dict) and isinstance(data.get("facts"), dict) and isinstance(data.get("applicant"), dict):
            data = {**data, "facts": {"id_number": data["applicant"].get("id_number", ""), **data["facts"]}}
        return super().to_internal_value(data)

    def validate(self, data):
        if data["facts"]["id_number"] != FactsSerializer().validate_id_number(data["applicant"]["id_number"]):
            raise serializers.ValidationError({"applicant": {"id_number": ["与申请情况中的身份证号不一致。"]}})
        return data


@contextmanager
def keyed_as_the_body() -> Iterator[None]:
    """The rules' errors, flat as the pages show them under each field, keyed as the body nests its fields:
    `{"facts": {name: [...]}}`, `{"applicant": {name: [...]}}`, as DRF's own checks and /eligibility/evaluate
    key theirs, so a client reads one shape whichever check refused."""
    try:
        yield
    except DjangoValidationError as exc:
        if not hasattr(exc, "error_dict"):
            raise
        body: dict = {}
        for field, messages in exc.message_dict.items():
            group = "facts" if field in FACT_NAMES else "applicant" if field in services.APPLICANT_FIELDS else None
            (body.setdefault(group, {}) if group else body)[field] = messages
        raise ValidationError(body) from None


def _deadline(application: Application) -> dict | None:
    if application.stage_due_on is None:
        return None
    return {
        "stage": application.state,
        "due_date": application.stage_due_on,
        "provisional": application.stage_due_provisional,
        "overdue": timezone.localdate() > application.stage_due_on,
    }


class ApplicationListOutput(serializers.ModelSerializer):
    state_label = serializers.CharField()
    policy = serializers.CharField(source="policy_code")
    applicant_name = serializers.CharField()
    id_number = serializers.SerializerMethodField()
    unit_code = serializers.CharField(source="unit_id")
    unit_name = serializers.CharField(source="unit.name")
    categories = serializers.ListField(source="category_codes")
    deadline = serializers.SerializerMethodField()

    class Meta:
        model = Application
        fields = [
            "id",
            "reference",
            "state",
            "state_label",
            "policy",
            "applicant_name",
            "id_number",
            "unit_code",
            "unit_name",
            "channel",
            "categories",
            "received_on",
            "deadline",
        ]

    def get_id_number(self, application) -> str:
        return mask(application.applicant_id_number)

    def get_deadline(self, application) -> dict | None:
        return _deadline(application)

    def to_representation(self, application: Application) -> dict:
        """The fields above, read directly: DRF's generic path (field by field, a signature inspected per
        callable, choices mapped back) cost ~0.1 ms a row, most of a list page's time (issue 13)."""
        return {
            "id": application.pk,
            "reference": application.reference,
            "state": application.state,
            "state_label": application.state_label,
            "policy": application.policy_code,
            "applicant_name": application.applicant_name,
            "id_number": mask(application.applicant_id_number),
            "unit_code": application.unit_id,
            "unit_name": application.unit.name,
            "channel": application.channel,
            "categories": application.category_codes,
            "received_on": application.received_on and application.received_on.isoformat(),
            "deadline": _deadline(application),
        }


class ApplicationOutput(ApplicationListOutput):
    handling_unit_code = serializers.CharField(source="handling_unit_id")
    applicant = serializers.SerializerMethodField()
    required_materials = serializers.SerializerMethodField()
    materials = serializers.SerializerMethodField()
    commitments = serializers.SerializerMethodField()
    opinions = serializers.SerializerMethodField()
    history = serializers.SerializerMethodField()
    available_transitions = serializers.SerializerMethodField()
    recognition_id = serializers.SerializerMethodField()

    class Meta(ApplicationListOutput.Meta):
        fields = [
            *ApplicationListOutput.Meta.fields,
            "handling_unit_code",
            "policy_version",
            "consent_recorded",
            "applicant",
            "facts",
            "eligibility",
            "missing_materials",
            "required_materials",
            "materials",
            "commitments",
            "accepted_on",
            "notice_start",
            "notice_end",
            "decided_on",
            "opinions",
            "history",
            "available_transitions",
            "recognition_id",
        ]

    def to_representation(self, application: Application) -> dict:
        return serializers.ModelSerializer.to_representation(self, application)  # every field, the generic way

    def get_applicant(self, application) -> dict:
        """The full ID number: every response that carries it is audited (DESIGN.md §9)."""
        audit.full_id_shown(self.context["request"], object_type="application", object_id=application.pk)
        return {  # as recorded on this application (DESIGN.md §10)
            "name": application.applicant_name,
            "id_number": application.applicant_id_number,
            "phone": application.applicant_phone,
            "address": application.applicant_address,
        }

    def get_required_materials(self, application) -> list:
        return workflow.required_materials(application, self.context["request"].user)

    def get_materials(self, application) -> list:
        return [
            {"id": m.pk, "kind": m.kind, "name": m.original_name, "content_type": m.content_type, "size": m.size}
            for m in application.materials.all()
        ]

    def get_commitments(self, application) -> list:
        return [
            {"code": c.code, "text": c.text, "article": c.article, "accepted_at": c.accepted_at}
            for c in application.commitments.all()
        ]

    def get_opinions(self, application) -> list:
        return [
            {
                "stage": o.stage,
                "decision": o.decision,
                "reason": o.reason,
                "officer": str(o.officer) if o.officer else None,
                "unit_code": o.unit_id,
                "at": o.at,
            }
            for o in application.opinions.select_related("officer")
        ]

    def get_history(self, application) -> list:
        return [
            {
                "name": e.name,
                "from": e.from_state,
                "to": e.to_state,
                "actor": str(e.actor) if e.actor else "系统",
                "role": e.role,
                "unit_code": e.unit_code,
                "opinion": e.opinion,
                "reason": e.reason,
                "at": e.at,
            }
            for e in application.log.select_related("actor")
        ]

    def get_available_transitions(self, application) -> list[str]:
        return workflow.available_transitions(application, self.context["request"].user)

    def get_recognition_id(self, application) -> int | None:
        return Recognition.objects.filter(application=application).values_list("pk", flat=True).first()


class SeekPagination(BasePagination):
    """`{"count","next","previous","results","count_capped"}` as API.md has it, `next`/`previous` by
    cursor (issue 13: a deep page seeks past its cursor's row instead of skipping rows with OFFSET);
    `count` stops at the view's `count_cap` (COUNT_CAP) + 1 with `count_capped` true. `page_size` up to
    100 (default 20)."""

    page_size, max_page_size = 20, 100

    def paginate_queryset(self, queryset, request, view=None):
        self.request = request
        try:
            size = min(self.max_page_size, int(request.query_params.get("page_size") or self.page_size))
        except ValueError:
            size = self.page_size
        try:
            cursor = Cursor.decode(request.query_params.get("cursor"))
            self.page = queue_page(queryset, sort=view.sort, cursor=cursor, size=max(1, size))
        except ValueError:
            raise ValidationError({"cursor": ["分页游标无效，请从第一页重新开始。"]}) from None
        cap, known = getattr(view, "count_cap", None), getattr(view, "known_count", None)
        self.paginator = CappedPaginator(queryset, size, cap=cap, known=known)
        return self.page.rows

    def _link(self, cursor: Cursor | None) -> str | None:
        if cursor is None:
            return None
        return replace_query_param(self.request.build_absolute_uri(), "cursor", cursor.encode())

    def get_paginated_response(self, data):
        return Response(
            {
                "count": self.paginator.count,
                "count_capped": self.paginator.capped,
                "next": self._link(self.page.next),
                "previous": self._link(self.page.previous),
                "results": data,
            }
        )

    def get_paginated_response_schema(self, schema):
        link = {"type": "string", "nullable": True, "format": "uri"}
        return {
            "type": "object",
            "required": ["count", "results"],
            "properties": {
                "count": {"type": "integer"},
                "count_capped": {"type": "boolean"},
                "next": link,
                "previous": link,
                "results": schema,
            },
        }

    def get_schema_operation_parameters(self, view):
        return [
            {"name": "cursor", "required": False, "in": "query", "schema": {"type": "string"},
             "description": "上一页、下一页链接中的分页游标"},
            {"name": "page_size", "required": False, "in": "query", "schema": {"type": "integer"},
             "description": "每页件数（最多100）"},
        ]  # fmt: skip


SEARCH_IN_URL = "姓名和身份证号不放在网址中：请用 POST /api/v1/applications/search/ 提交 q。"


class ApplicationList(generics.ListCreateAPIView):
    """Scoped list (`?state=`, `?unit_code=` prefix), newest first, and receipt of a new application.
    A name or ID number is searched through POST .../search/ (issue 12: never in a URL)."""

    serializer_class = ApplicationListOutput
    pagination_class = SeekPagination
    sort = "-received"

    def get_queryset(self):
        params = self.request.query_params
        if params.get("q", "").strip():
            raise ValidationError({"q": [SEARCH_IN_URL]})
        state, unit_code = params.get("state"), params.get("unit_code")
        filters = QueueFilters(states=(state,) if state else (), unit_prefix=unit_code or "", sort=self.sort)
        self.known_count = known_count(user=self.request.user, filters=filters)
        return application_queue(user=self.request.user, filters=filters)

    @extend_schema(request=ApplicationInput, responses={201: ApplicationOutput})
    def post(self, request: Request) -> Response:
        data = ApplicationInput(data=request.data)
        data.is_valid(raise_exception=True)
        d = data.validated_data
        with keyed_as_the_body():
            application = services.application_create(
                actor=request.user,
                unit_code=d["unit_code"],
                channel=d["channel"],
                applicant=d["applicant"],
                facts=Facts(**d["facts"]),
                commitments=d["commitments"],
                consent_recorded=d["consent_recorded"],
            )
        # Not through the gate: an unverified account that created a person's first record is told what it
        # sent and what the rules found, though it sees the case only once verified (DESIGN.md §10).
        application = Application.objects.select_related("applicant", "unit", "handling_unit").get(pk=application.pk)
        return Response(ApplicationOutput(application, context={"request": request}).data, status=201)


class SearchInput(serializers.Serializer):
    q = serializers.CharField(max_length=100, help_text="姓名或其开头几个字、身份证号或其前几位")
    state = serializers.CharField(max_length=30, required=False, allow_blank=True, default="")
    unit_code = serializers.CharField(max_length=12, required=False, allow_blank=True, default="")


class ApplicationSearch(generics.GenericAPIView):
    """The list searched by name or ID number (issue 12 #3): the query travels in the body, so no
    access log holds it. The answer is a page of the list; its `next`/`previous` links take the same
    body again (POST)."""

    serializer_class = ApplicationListOutput
    pagination_class = SeekPagination
    queryset = Application.objects.none()  # for the schema: the rows come from application_queue
    sort = "-received"
    count_cap = SEARCH_COUNT_CAP  # as the queue page's search: a common name is not counted through

    @extend_schema(request=SearchInput, responses={200: ApplicationListOutput(many=True)})
    def post(self, request: Request) -> Response:
        data = SearchInput(data=request.data)
        data.is_valid(raise_exception=True)
        d = data.validated_data
        filters = QueueFilters(
            states=(d["state"],) if d["state"] else (), unit_prefix=d["unit_code"], q=d["q"], sort=self.sort
        )
        rows = self.paginate_queryset(application_queue(user=request.user, filters=filters))
        return self.get_paginated_response(self.get_serializer(rows, many=True).data)


class ApplicantEdit(serializers.Serializer):
    name = serializers.CharField(max_length=50, required=False)
    phone = serializers.CharField(max_length=20, required=False, allow_blank=True, validators=[validate_contact_phone])
    address = serializers.CharField(max_length=200, required=False, allow_blank=True)


class PartialFacts(FactsSerializer):
    """Only the facts sent are corrected; the rest stay as they are."""

    def get_fields(self):
        fields = super().get_fields()
        for field in fields.values():
            field.required, field.default = False, serializers.empty
        return fields


class ApplicationEdit(serializers.Serializer):
    facts = PartialFacts(required=False)
    applicant = ApplicantEdit(required=False)


class ApplicationDetail(generics.RetrieveUpdateAPIView):
    """GET the application; PATCH corrects its facts or contact details (handling unit, before the
    initial review is decided), re-evaluated and logged."""

    serializer_class = ApplicationOutput
    http_method_names = ["get", "patch", "head", "options"]

    def get_object(self):
        return application_for_user(self.request.user, self.kwargs["pk"])

    @extend_schema(request=ApplicationEdit, responses=ApplicationOutput)
    def patch(self, request: Request, pk: int) -> Response:
        application = self.get_object()
        data = ApplicationEdit(data=request.data)
        data.is_valid(raise_exception=True)
        with keyed_as_the_body():
            services.application_edit(
                actor=request.user,
                application_id=application.pk,
                facts=data.validated_data.get("facts"),
                applicant=data.validated_data.get("applicant"),
            )
        application = self.get_object()
        return Response(ApplicationOutput(application, context={"request": request}).data)


class TransitionInput(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)
    opinion = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)
    missing_materials = serializers.ListField(child=serializers.CharField(max_length=40), required=False, default=list)


@extend_schema(request=TransitionInput, responses=ApplicationOutput)
@api_view(["POST"])
def transition_view(request: Request, pk: int, name: str) -> Response:
    application = application_for_user(request.user, pk)
    if name not in workflow.SPECS or name in workflow.NOTICE_TRANSITIONS:
        return Response({"detail": f"没有“{name}”这个操作。"}, status=status.HTTP_404_NOT_FOUND)
    data = TransitionInput(data=request.data)
    data.is_valid(raise_exception=True)
    workflow.application_transition(application_id=application.pk, name=name, actor=request.user, **data.validated_data)
    application = application_for_user(request.user, pk)
    return Response(ApplicationOutput(application, context={"request": request}).data)


class MaterialInput(serializers.Serializer):
    kind = serializers.CharField(max_length=40)
    file = serializers.FileField(required=False)
    reuse_material_id = serializers.IntegerField(required=False, min_value=1, max_value=MAX_ID)

    def validate(self, data):
        if bool(data.get("file")) == bool(data.get("reuse_material_id")):
            raise serializers.ValidationError({"file": ["请上传文件，或选择已有材料复用（二选一）。"]})
        return data


@extend_schema(request=MaterialInput, responses={201: dict})
@api_view(["POST"])
@parser_classes([MultiPartParser, FormParser])
def materials_view(request: Request, pk: int) -> Response:
    application = application_for_user(request.user, pk)
    data = MaterialInput(data=request.data)
    data.is_valid(raise_exception=True)
    if upload := data.validated_data.get("file"):
        material = services.material_upload(
            actor=request.user, application=application, kind=data.validated_data["kind"], upload=upload
        )
    else:
        material = services.material_reuse(
            actor=request.user, application=application, material_id=data.validated_data["reuse_material_id"]
        )
    return Response(
        {"id": material.pk, "kind": material.kind, "content_type": material.content_type, "size": material.size},
        status=201,
    )


@extend_schema(responses={(200, "application/octet-stream"): bytes})
@api_view(["GET"])
def material_file_view(request: Request, pk: int, material_id: int) -> FileResponse | Response:
    try:
        return material_response(request, application_for_user(request.user, pk), material_id)
    except MaterialGone as gone:
        return Response({"detail": gone.message}, status=status.HTTP_404_NOT_FOUND)


@extend_schema(responses={(200, "application/pdf"): bytes})
@api_view(["GET"])
def approval_form_view(request: Request, pk: int) -> HttpResponse:
    return approval_form_response(application_for_user(request.user, pk), request)


# --- public progress (API.md "Progress (public)"): no login, one budget per client (config.throttling)


class ProgressInput(serializers.Serializer):
    reference = serializers.CharField(max_length=24)
    id_number = serializers.CharField(max_length=30)

    def validate_reference(self, value: str) -> str:
        try:
            return progress.clean_reference(value)
        except ValueError as exc:
            raise serializers.ValidationError(str(exc)) from None

    def validate_id_number(self, value: str) -> str:
        try:
            return progress.clean_id_number(value)
        except ValueError as exc:
            raise serializers.ValidationError(str(exc)) from None


class ProgressStepOutput(serializers.Serializer):
    stage = serializers.CharField()
    label = serializers.CharField()
    status = serializers.ChoiceField(choices=["done", "current", "pending"])
    date = serializers.DateField(allow_null=True)
    outcome = serializers.CharField(help_text="pass / fail, or empty")
    due_date = serializers.DateField(allow_null=True)
    note = serializers.CharField()


class ProgressOutput(serializers.Serializer):
    reference = serializers.CharField()
    state = serializers.CharField()
    state_label = serializers.CharField()
    name = serializers.CharField(help_text="masked: first and last character only")
    policy = serializers.CharField()
    policy_document = serializers.CharField()
    handling_unit = serializers.CharField()
    steps = ProgressStepOutput(many=True)


class ProgressDetailOutput(serializers.Serializer):
    detail = serializers.CharField()


def progress_json(found: progress.Progress) -> dict:
    """ProgressOutput's representation, built directly (its serializer stays the schema's description)."""
    return {
        "reference": found.reference,
        "state": found.state,
        "state_label": found.state_label,
        "name": found.name,
        "policy": found.policy,
        "policy_document": found.policy_document,
        "handling_unit": found.handling_unit,
        "steps": [
            {
                "stage": step.stage,
                "label": step.label,
                "status": step.status,
                "date": step.date and step.date.isoformat(),
                "outcome": step.outcome,
                "due_date": step.due_date and step.due_date.isoformat(),
                "note": step.note,
            }
            for step in found.steps
        ],
    }


def _plain_progress_input(request: HttpRequest) -> dict | None:
    """The cleaned pair of a look-up sent the usual way — POST, a UTF-8 JSON object whose two values are
    strings the fields accept, JSON asked for — else None (DRF then reads the request as it always did)."""
    meta = request.META
    if (
        request.method != "POST"
        or request.content_type != "application/json"
        or request.content_params not in ({}, {"charset": "utf-8"})
        or meta.get("HTTP_ACCEPT", "*/*") not in ("*/*", "application/json")
        or meta.get("QUERY_STRING")  # ?format=
    ):
        return None
    try:
        body = json.loads(request.body.decode(), parse_constant=_refuse)  # NaN, Infinity: as DRF's strict parser
        reference, id_number = body["reference"], body["id_number"]
        if type(reference) is not str or type(id_number) is not str or len(id_number.strip()) > 30:
            return None  # ProgressInput's errors (and its reading of JSON numbers)
        return {"reference": progress.clean_reference(reference), "id_number": progress.clean_id_number(id_number)}
    except (ValueError, TypeError, KeyError):  # not JSON, not an object, a value the fields refuse
        return None


def _refuse(constant: str):
    raise ValueError(constant)


class ProgressView(APIView):
    """Where a case stands, by reference and the applicant's ID number (DESIGN.md §10). A wrong pair
    answers exactly as an unknown reference; rate-limited per client, X-Forwarded-For not trusted."""

    authentication_classes: list = []
    permission_classes = [AllowAny]
    throttle_classes = [ProgressThrottle]

    def throttled(self, request: Request, wait: float | None) -> None:
        raise chinese_throttled(wait)

    def dispatch(self, request, *args, **kwargs):
        """A look-up sent the usual way is answered here, with the bytes and headers DRF gives it, without
        DRF's request, negotiation and serializers (issue 13: they cost several times the look-up itself);
        anything else goes through DRF, whose answers are the contract's errors. One throttle either way."""
        pair = _plain_progress_input(request)
        if pair is None:
            return super().dispatch(request, *args, **kwargs)
        throttle = ProgressThrottle()
        try:
            if (hit := throttle.hit(request)) is None and not throttle.allow_request(request, self):
                raise Refused(throttle.wait())
            found = progress.progress_lookup(**pair, hit=hit)  # counted in the look-up's own statement
        except Refused as exc:
            refused = chinese_throttled(exc.wait)
            return self._plain_response({"detail": str(refused.detail)}, 429, **{"Retry-After": str(refused.wait)})
        if found is None:
            return self._plain_response({"detail": progress.NOT_FOUND}, 404)
        return self._plain_response(progress_json(found), 200)

    def _plain_response(self, data: dict, status_code: int, **headers: str) -> HttpResponse:
        response = HttpResponse(JSONRenderer().render(data), status=status_code, content_type="application/json")
        for name, value in {**headers, **self.default_response_headers}.items():
            response[name] = value
        return response

    @extend_schema(
        request=ProgressInput,
        responses={200: ProgressOutput, 400: dict, 404: ProgressDetailOutput, 429: ProgressDetailOutput},
        auth=[],
    )
    def post(self, request: Request) -> Response:
        data = ProgressInput(data=request.data)
        data.is_valid(raise_exception=True)
        found = progress.progress_lookup(**data.validated_data)
        if found is None:
            return Response({"detail": progress.NOT_FOUND}, status=status.HTTP_404_NOT_FOUND)
        return Response(progress_json(found))


# --- decision letters (API.md "Applications"; DESIGN.md §10)


class LetterConflictOutput(serializers.Serializer):
    detail = serializers.CharField()


@extend_schema(responses={(200, "application/pdf"): bytes, 409: LetterConflictOutput})
@api_view(["GET"])
def decision_letter_view(request: Request, pk: int) -> HttpResponse:
    """认定结果告知书 / 不予认定告知书 once approved or rejected (409 before); staff in scope and the person."""
    return decision_letter_response(request, application_for_user(request.user, pk))
