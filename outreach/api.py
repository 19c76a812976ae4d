"""API.md "Pushed lists and surveys": thin views over outreach.services and outreach.selectors."""

from django.conf import settings
from django.core.exceptions import PermissionDenied
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.decorators import api_view
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.idnumber import mask
from accounts.phones import validate_contact_phone
from accounts.scoping import staff_prefix
from outreach import selectors, services
from outreach.models import ConsentMethod, Person, PushedPerson, PushedState, PushList

MAX_LIST_BYTES = 50 * 1024 * 1024


class PushListInput(serializers.Serializer):
    file = serializers.FileField()
    dry_run = serializers.BooleanField(required=False, default=False)

    def validate_file(self, upload):
        if upload.size > MAX_LIST_BYTES:
            raise serializers.ValidationError("文件不能超过 50 MB。")
        return upload


class PushListOutput(serializers.ModelSerializer):
    unit_code = serializers.CharField(source="unit_id")
    state_label = serializers.CharField(source="get_state_display")

    class Meta:
        model = PushList
        fields = ["id", "unit_code", "file_name", "created_at", "dry_run", "state", "state_label", "rows", "processed"]
        fields += ["pushed", "bad", "skipped", "error"]


class PushLists(generics.ListAPIView):
    """GET: the lists pushed in scope, paginated like every API list (API.md). POST: push a list (a dry run
    pushes nobody); a list larger than PUSH_LIST_SYNC_ROWS is queued (202), a dry run of one too, and its
    progress and report read at GET /push-lists/{id}/."""

    serializer_class = PushListOutput
    parser_classes = [MultiPartParser, FormParser]

    def get_queryset(self):
        return selectors.push_lists(user=self.request.user)

    @extend_schema(
        request={"multipart/form-data": PushListInput},
        responses={201: dict, 202: PushListOutput},
    )
    def post(self, request: Request) -> Response:
        services.check_pusher(request.user)
        data = PushListInput(data=request.data)
        data.is_valid(raise_exception=True)
        upload = data.validated_data["file"]
        content = upload.read()
        rows = services.push_list_read(name=upload.name, data=content)
        dry_run = data.validated_data["dry_run"]
        if dry_run and len(rows) <= settings.PUSH_LIST_SYNC_ROWS:
            checked = services.push_list_check(actor=request.user, rows=rows)
            body = {
                "id": None,
                "dry_run": True,
                "rows": checked.rows,
                "pushed": 0,
                "would_push": checked.rows - len(checked.bad) - len(checked.skipped),
                "eligible": checked.eligible,
                "bad": checked.bad,
                "skipped": checked.skipped,
            }
            return Response(body, status=status.HTTP_201_CREATED)
        push_list = services.push_list_create(
            actor=request.user, name=upload.name, data=content, rows=rows, dry_run=dry_run
        )
        body = PushListOutput(push_list).data
        return Response(body, status=status.HTTP_201_CREATED if push_list.state == "done" else status.HTTP_202_ACCEPTED)


@extend_schema(responses=PushListOutput)
@api_view(["GET"])
def push_list_view(request: Request, pk: int) -> Response:
    return Response(PushListOutput(selectors.push_list_for_user(request.user, pk)).data)


class PushedOutput(serializers.ModelSerializer):
    id_number = serializers.SerializerMethodField()
    unit_code = serializers.CharField(source="unit_id")
    unit_name = serializers.CharField(source="unit.name")
    receiving_unit_code = serializers.CharField(source="receiving_unit_id")
    state_label = serializers.CharField(source="get_state_display")
    application_id = serializers.IntegerField(allow_null=True)
    outcome_by = serializers.SerializerMethodField()
    consent_method = serializers.CharField(help_text="in_person | phone | online, or empty")

    class Meta:
        model = PushedPerson
        fields = ["id", "name", "id_number", "unit_code", "unit_name", "receiving_unit_code", "origin"]
        fields += ["policy_code", "eligibility", "eligible", "pushed_on", "due_on", "state", "state_label"]
        fields += ["outcome_by", "outcome_at", "consent_method", "note", "application_id"]

    def get_id_number(self, pushed) -> str:
        return mask(pushed.id_number)

    def get_outcome_by(self, pushed) -> str | None:
        return str(pushed.outcome_by) if pushed.outcome_by_id else None


class PushedList(generics.ListAPIView):
    """Scoped, paginated: the receiving community or township works its own; `?state=`."""

    serializer_class = PushedOutput

    @extend_schema(parameters=[OpenApiParameter("state", enum=PushedState.values)])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        state = self.request.query_params.get("state", "")
        if state and state not in PushedState.values:
            raise serializers.ValidationError({"state": ["未知的状态。"]})
        return selectors.work_list(user=self.request.user, state=state)


@extend_schema(responses=PushedOutput)
@api_view(["GET"])
def pushed_view(request: Request, pk: int) -> Response:
    return Response(PushedOutput(selectors.pushed_for_user(request.user, pk)).data)


class ConsentInput(serializers.Serializer):
    method = serializers.ChoiceField(choices=ConsentMethod.choices)
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)


@extend_schema(request=ConsentInput, responses={201: dict})
@api_view(["POST"])
def consent_view(request: Request, pk: int) -> Response:
    pushed = selectors.pushed_for_user(request.user, pk)
    services.check_receiver(request.user, pushed)
    data = ConsentInput(data=request.data)
    data.is_valid(raise_exception=True)
    application = services.pushed_consent(actor=request.user, pushed_id=pushed.pk, **data.validated_data)
    return Response({"application_id": application.pk}, status=status.HTTP_201_CREATED)


class ReasonInput(serializers.Serializer):
    reason = serializers.CharField(max_length=2000)


def _close(request: Request, pk: int, state: str) -> Response:
    pushed = selectors.pushed_for_user(request.user, pk)
    services.check_receiver(request.user, pushed)
    data = ReasonInput(data=request.data)
    data.is_valid(raise_exception=True)
    pushed = services.pushed_close(actor=request.user, pushed_id=pushed.pk, state=state, **data.validated_data)
    return Response(PushedOutput(selectors.pushed_for_user(request.user, pushed.pk)).data)


@extend_schema(request=ReasonInput, responses=PushedOutput)
@api_view(["POST"])
def decline_view(request: Request, pk: int) -> Response:
    return _close(request, pk, PushedState.DECLINED)


@extend_schema(request=ReasonInput, responses=PushedOutput)
@api_view(["POST"])
def unreachable_view(request: Request, pk: int) -> Response:
    return _close(request, pk, PushedState.UNREACHABLE)


@extend_schema(responses=dict)
@api_view(["GET"])
def conversion_view(request: Request) -> Response:
    """第十三条: pushed → contacted → consented → applied → recognised, by child unit and age of the push."""
    if staff_prefix(request.user) is None:
        raise PermissionDenied("只有工作人员可以查看。")
    return Response(selectors.conversion(user=request.user))


# --- 一人一册 and household visits


class VisitOutput(serializers.Serializer):
    id = serializers.IntegerField()
    visited_on = serializers.DateField()
    unit_code = serializers.CharField(source="unit_id")
    officer = serializers.CharField()
    findings = serializers.CharField()
    job_wishes = serializers.CharField()
    service_needs = serializers.ListField(child=serializers.CharField())


class PersonListOutput(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    id_number = serializers.SerializerMethodField()
    unit_code = serializers.CharField(source="unit_id")
    job_wishes = serializers.CharField()
    service_needs = serializers.ListField(child=serializers.CharField())
    assistance_contacts = serializers.IntegerField(source="contacts", help_text="services recorded (四(一) 帮扶次数)")
    policies_enjoyed = serializers.IntegerField(source="policies", help_text="subsidies recorded")
    visits = serializers.IntegerField(source="visits_count")
    active_recognition_id = serializers.IntegerField(source="recognition_id", allow_null=True)

    def get_id_number(self, person) -> str:
        return mask(person.id_number)


SEARCH_IN_URL = "姓名和身份证号不放在网址中：请用 POST /api/v1/persons/search/ 提交 q。"


class PersonList(generics.ListAPIView):
    """一人一册 (吉人社发〔2022〕10号 四(一)), scoped, paginated. A name or ID number is searched
    through POST .../persons/search/ (issue 12 #3: never in a URL, so no access log holds it)."""

    serializer_class = PersonListOutput

    def get_queryset(self):
        if self.request.query_params.get("q", "").strip():
            raise serializers.ValidationError({"q": [SEARCH_IN_URL]})
        return selectors.register(user=self.request.user)


class PersonSearchInput(serializers.Serializer):
    q = serializers.CharField(max_length=100, help_text="姓名的一部分或完整的身份证号")


class PersonSearch(generics.GenericAPIView):
    """The register searched by name or full ID number, the query in the body; the answer is a page
    of the register (its `next`/`previous` links take the same body again)."""

    serializer_class = PersonListOutput
    queryset = Person.objects.none()  # for the schema: the rows come from selectors.register

    @extend_schema(request=PersonSearchInput, responses={200: PersonListOutput(many=True)})
    def post(self, request: Request) -> Response:
        data = PersonSearchInput(data=request.data)
        data.is_valid(raise_exception=True)
        rows = self.paginate_queryset(selectors.register(user=request.user, query=data.validated_data["q"].strip()))
        return self.get_paginated_response(self.get_serializer(rows, many=True).data)


@extend_schema(responses=dict)
@api_view(["GET"])
def person_view(request: Request, pk: int) -> Response:
    """One person's file: the register's fields, visits, pushes and the history of changes."""
    file = selectors.person_file(person=selectors.person_for_user(request.user, pk), user=request.user)
    return Response(
        {
            **PersonListOutput(file.person).data,
            "visits": VisitOutput(file.visits, many=True).data,
            "pushes": PushedOutput(file.pushes, many=True).data,
            "application_ids": [a.pk for a in file.applications],
            "recognition_ids": [r.pk for r in file.recognitions],
            "history": [
                {"at": c.at, "actor": str(c.actor) if c.actor_id else None, "event": c.event, "summary": c.summary}
                | {"changes": c.changes}
                for c, _ in file.changes
            ],
        }
    )


class VisitInput(serializers.Serializer):
    id_number = serializers.CharField(max_length=30)
    name = serializers.CharField(max_length=50)
    unit_code = serializers.CharField(max_length=12)
    phone = serializers.CharField(
        max_length=20, required=False, allow_blank=True, default="", validators=[validate_contact_phone]
    )
    visited_on = serializers.DateField()
    findings = serializers.CharField(max_length=4000)
    job_wishes = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
    service_needs = serializers.ListField(child=serializers.CharField(max_length=30), required=False, default=list)


@extend_schema(request=VisitInput, responses={201: VisitOutput})
@api_view(["POST"])
def visits_view(request: Request) -> Response:
    """入户调查 (新人社规〔2025〕1号 第四条; 吉人社发〔2022〕10号 四(一)) by a community or township officer."""
    services.check_surveyor(request.user)
    data = VisitInput(data=request.data)
    data.is_valid(raise_exception=True)
    visit = services.visit_record(actor=request.user, **data.validated_data)
    return Response({**VisitOutput(visit).data, "person_id": visit.person_id}, status=status.HTTP_201_CREATED)


@extend_schema(request=dict, responses={201: dict})
@api_view(["POST"])
def visit_to_work_list_view(request: Request, pk: int) -> Response:
    """A person met in a survey onto the work list, with the facts found (API.md "Facts" names)."""
    visit = selectors.visit_for_user(request.user, pk)
    services.check_surveyor(request.user)
    facts = request.data.get("facts", {}) if isinstance(request.data, dict) else {}
    if not isinstance(facts, dict):
        raise serializers.ValidationError({"facts": ["应为对象。"]})
    facts = {k: ("1" if v is True else "0" if v is False else "" if v is None else str(v)) for k, v in facts.items()}
    pushed = services.visit_to_work_list(actor=request.user, visit_id=visit.pk, facts=facts)
    return Response({"pushed_person_id": pushed.pk}, status=status.HTTP_201_CREATED)
