"""API.md "Recognitions, assistance, exits": thin views over exits.services and exits.access."""

from django.http import HttpResponse
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.decorators import api_view
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.idnumber import mask
from exits import selectors, services
from exits.access import exit_for_user, exits_for_user, recognition_for_user, recognition_to_assist
from exits.letters import exit_letter_response
from exits.models import ExitCase, ExitState, Need, Outcome, Recognition, ServiceKind, SubsidyKind

# --- output


class PlanOutput(serializers.Serializer):
    needs = serializers.ListField(child=serializers.CharField())
    steps = serializers.CharField()
    officer = serializers.CharField()
    review_on = serializers.DateField(allow_null=True)
    market_capable = serializers.BooleanField()
    updated_at = serializers.DateTimeField()


class ServiceOutput(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField()
    kind_label = serializers.CharField(source="get_kind_display")
    date = serializers.DateField()
    outcome = serializers.CharField()
    outcome_label = serializers.CharField(source="get_outcome_display")
    note = serializers.CharField()


class SubsidyOutput(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField()
    kind_label = serializers.CharField(source="get_kind_display")
    start = serializers.DateField()
    end = serializers.DateField(allow_null=True)
    note = serializers.CharField()
    recovery_flagged_on = serializers.DateField(allow_null=True)


class ExitOutput(serializers.ModelSerializer):
    recognition_id = serializers.IntegerField()
    state_label = serializers.CharField(source="get_state_display")
    source = serializers.CharField(help_text="manual | sweep")
    name = serializers.CharField(source="recognition.applicant.name")
    unit_code = serializers.CharField(source="recognition.unit_id")

    class Meta:
        model = ExitCase
        fields = [
            "id",
            "recognition_id",
            "name",
            "unit_code",
            "reason",
            "reason_label",
            "article",
            "state",
            "state_label",
            "source",
            "detail",
            "effective_on",
            "note",
            "proposed_on",
            "decided_on",
            "decision_note",
            "notified_on",
            "objection_deadline",
            "objection_content",
            "objection_on",
            "finding",
            "reverified_on",
        ]


class RecognitionListOutput(serializers.ModelSerializer):
    application_id = serializers.IntegerField(allow_null=True)
    name = serializers.CharField(source="applicant.name")
    id_number = serializers.SerializerMethodField()
    unit_code = serializers.CharField(source="unit_id")
    unit_name = serializers.CharField(source="unit.name")
    policy = serializers.CharField(source="policy_code")
    source = serializers.CharField(help_text="application | import")

    class Meta:
        model = Recognition
        fields = [
            "id",
            "application_id",
            "active",
            "categories",
            "recognized_on",
            "name",
            "id_number",
            "unit_code",
            "unit_name",
            "policy",
            "source",
            "ended_on",
            "end_reason",
        ]

    def get_id_number(self, recognition) -> str:
        return mask(recognition.applicant.id_number)


class RecognitionOutput(RecognitionListOutput):
    category_labels = serializers.ListField(child=serializers.CharField())
    approving_unit_code = serializers.CharField(source="approving_unit_id")
    recognized_by = serializers.SerializerMethodField()
    plan = serializers.SerializerMethodField()
    services = serializers.SerializerMethodField()
    subsidies = serializers.SerializerMethodField()
    exits = serializers.SerializerMethodField()
    warnings = serializers.SerializerMethodField()
    history = serializers.SerializerMethodField()

    class Meta(RecognitionListOutput.Meta):
        fields = [
            *RecognitionListOutput.Meta.fields,
            "category_labels",
            "approving_unit_code",
            "recognized_by",
            "statutory_retirement_on",
            "last_contact_on",
            "identity_check_due_on",
            "assistance_ends_on",
            "employed_on",
            "zero_employment_household",
            "household_employed_on",
            "plan",
            "services",
            "subsidies",
            "exits",
            "warnings",
            "history",
        ]

    def to_representation(self, instance):
        data = super().to_representation(instance)
        if instance.is_jilin:  # jilin 二(三): the 就业创业证 entry
            data.update(
                card_category=instance.card_category,
                card_agency=instance.card_agency,
                card_handler=instance.card_handler,
            )
        return data

    def get_recognized_by(self, recognition) -> str | None:
        return str(recognition.recognized_by) if recognition.recognized_by_id else None

    def get_plan(self, recognition) -> dict | None:
        plan = getattr(recognition, "plan", None)
        return PlanOutput(plan).data if plan else None

    def get_services(self, recognition) -> list:
        return ServiceOutput(recognition.services.all(), many=True).data

    def get_subsidies(self, recognition) -> list:
        return SubsidyOutput(recognition.subsidies.all(), many=True).data

    def get_exits(self, recognition) -> list:
        return ExitOutput(recognition.exits.select_related("recognition__applicant"), many=True).data

    def get_warnings(self, recognition) -> list[str]:
        return services.assistance_warnings(recognition)

    def get_history(self, recognition) -> list[dict]:
        """Active and inactive over time: recognised, then each confirmed exit and each restoration."""
        return [{"on": recognition.recognized_on, "event": recognition.source, "active": True, "exit_id": None}] + [
            {"on": timezone.localtime(at).date(), "event": name, "active": name == "restore", "exit_id": case_id}
            for name, at, case_id in selectors.activity(recognition)
        ]


# --- recognitions


class RecognitionList(generics.ListAPIView):
    """Scoped, paginated: `?active=true|false`, `?unit_code=` prefix, `?category=`."""

    serializer_class = RecognitionListOutput

    @extend_schema(
        parameters=[
            OpenApiParameter("active", bool),
            OpenApiParameter("unit_code", str),
            OpenApiParameter("category", str),
        ]
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        params = self.request.query_params
        return selectors.recognition_register(
            user=self.request.user,
            active=params.get("active"),
            unit_code=params.get("unit_code", ""),
            category=params.get("category", ""),
        )


class RecognitionDetail(generics.RetrieveAPIView):
    serializer_class = RecognitionOutput

    def get_object(self):
        return recognition_for_user(self.request.user, self.kwargs["pk"])


class PlanInput(serializers.Serializer):
    needs = serializers.ListField(child=serializers.ChoiceField(choices=Need.choices), allow_empty=False)
    steps = serializers.CharField(max_length=4000)
    officer = serializers.CharField(max_length=50)
    review_on = serializers.DateField(required=False, allow_null=True, default=None)
    market_capable = serializers.BooleanField(required=False, default=True)
    assistance_ends_on = serializers.DateField(required=False, allow_null=True, default=None)
    zero_employment_household = serializers.BooleanField(required=False, allow_null=True, default=None)
    household_employed_on = serializers.DateField(required=False, allow_null=True, default=None)


@extend_schema(request=PlanInput, responses=RecognitionOutput)
@api_view(["PUT"])
def plan_view(request: Request, pk: int) -> Response:
    recognition = recognition_to_assist(request.user, pk)
    data = PlanInput(data=request.data)
    data.is_valid(raise_exception=True)
    services.plan_put(actor=request.user, recognition_id=recognition.pk, **data.validated_data)
    return Response(RecognitionOutput(recognition_for_user(request.user, pk)).data)


class ServiceInput(serializers.Serializer):
    kind = serializers.ChoiceField(choices=ServiceKind.choices)
    date = serializers.DateField()
    outcome = serializers.ChoiceField(choices=Outcome.choices)
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)


class ServiceCreated(ServiceOutput):
    warnings = serializers.ListField(child=serializers.CharField())


@extend_schema(request=ServiceInput, responses={201: ServiceCreated})
@api_view(["POST"])
def services_view(request: Request, pk: int) -> Response:
    recognition = recognition_to_assist(request.user, pk)
    data = ServiceInput(data=request.data)
    data.is_valid(raise_exception=True)
    d = data.validated_data
    record, warnings = services.service_record(
        actor=request.user,
        recognition_id=recognition.pk,
        kind=d["kind"],
        day=d["date"],
        outcome=d["outcome"],
        note=d["note"],
    )
    return Response({**ServiceOutput(record).data, "warnings": warnings}, status=status.HTTP_201_CREATED)


class SubsidyInput(serializers.Serializer):
    kind = serializers.ChoiceField(choices=SubsidyKind.choices)
    start = serializers.DateField()
    end = serializers.DateField(required=False, allow_null=True, default=None)
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)


@extend_schema(request=SubsidyInput, responses={201: SubsidyOutput})
@api_view(["POST"])
def subsidies_view(request: Request, pk: int) -> Response:
    recognition = recognition_to_assist(request.user, pk)
    data = SubsidyInput(data=request.data)
    data.is_valid(raise_exception=True)
    subsidy = services.subsidy_record(actor=request.user, recognition_id=recognition.pk, **data.validated_data)
    return Response(SubsidyOutput(subsidy).data, status=status.HTTP_201_CREATED)


class EmploymentInput(serializers.Serializer):
    employed_on = serializers.DateField()


@extend_schema(request=EmploymentInput, responses=RecognitionOutput)
@api_view(["POST"])
def employment_view(request: Request, pk: int) -> Response:
    """xinjiang 第十六条(一): record that the person found work (the exit follows the subsidy's end)."""
    recognition = recognition_to_assist(request.user, pk)
    data = EmploymentInput(data=request.data)
    data.is_valid(raise_exception=True)
    services.employment_record(actor=request.user, recognition_id=recognition.pk, **data.validated_data)
    return Response(RecognitionOutput(recognition_for_user(request.user, pk)).data)


class ProposeInput(serializers.Serializer):
    reason = serializers.CharField(max_length=40)
    effective_on = serializers.DateField(required=False, default=None, allow_null=True)
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)


@extend_schema(request=ProposeInput, responses={201: ExitOutput})
@api_view(["POST"])
def propose_view(request: Request, pk: int) -> Response:
    recognition = recognition_to_assist(request.user, pk)
    data = ProposeInput(data=request.data)
    data.is_valid(raise_exception=True)
    d = data.validated_data
    case = services.exit_propose(
        actor=request.user,
        recognition_id=recognition.pk,
        reason=d["reason"],
        effective_on=d["effective_on"] or timezone.localdate(),
        note=d["note"],
    )
    return Response(ExitOutput(exit_for_user(request.user, case.pk)).data, status=status.HTTP_201_CREATED)


# --- exits


class ExitList(generics.ListAPIView):
    """Scoped, paginated: `?state=`, `?recognition=`, `?reason=`."""

    serializer_class = ExitOutput

    @extend_schema(
        parameters=[
            OpenApiParameter("state", str, enum=ExitState.values),
            OpenApiParameter("recognition", int),
            OpenApiParameter("reason", str),
        ]
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        queryset = exits_for_user(self.request.user)
        params = self.request.query_params
        if state := params.get("state"):
            queryset = queryset.filter(state=state)
        if reason := params.get("reason"):
            queryset = queryset.filter(reason=reason)
        if recognition := params.get("recognition"):
            if not recognition.isdigit() or len(recognition) > 18:
                raise serializers.ValidationError({"recognition": ["请填写认定记录编号（数字）。"]})
            queryset = queryset.filter(recognition_id=int(recognition))
        return queryset


class ExitDetail(generics.RetrieveAPIView):
    serializer_class = ExitOutput

    def get_object(self):
        return exit_for_user(self.request.user, self.kwargs["pk"])


class DecisionInput(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)


class ExitObjectionInput(serializers.Serializer):
    content = serializers.CharField(max_length=4000)


class ReverifyInput(serializers.Serializer):
    upheld = serializers.BooleanField()
    finding = serializers.CharField(max_length=4000)


def _transition(request: Request, pk: int, name: str, form: type[serializers.Serializer], **fields) -> Response:
    """The case is looked up before the body is read: out of scope is 404 whatever the body (API.md)."""
    case = exit_for_user(request.user, pk)
    data = form(data=request.data)
    data.is_valid(raise_exception=True)
    payload = {to: data.validated_data[src] for to, src in fields.items()}
    if name == "reverify":
        name = "restore" if data.validated_data["upheld"] else "uphold"
    services.exit_transition(case_id=case.pk, name=name, actor=request.user, **payload)
    return Response(ExitOutput(exit_for_user(request.user, pk)).data)


@extend_schema(request=DecisionInput, responses=ExitOutput)
@api_view(["POST"])
def confirm_view(request: Request, pk: int) -> Response:
    """County: the recognition becomes inactive; the person gets a message and a letter (第十九条)."""
    return _transition(request, pk, "confirm", DecisionInput, note="note")


@extend_schema(request=DecisionInput, responses=ExitOutput)
@api_view(["POST"])
def dismiss_view(request: Request, pk: int) -> Response:
    return _transition(request, pk, "dismiss", DecisionInput, note="note")


@extend_schema(request=ExitObjectionInput, responses=ExitOutput)
@api_view(["POST"])
def objection_view(request: Request, pk: int) -> Response:
    """第十九条: within 30 days of notification (409 after), by the person or recorded by staff."""
    return _transition(request, pk, "objection", ExitObjectionInput, content="content")


@extend_schema(request=ReverifyInput, responses=ExitOutput)
@api_view(["POST"])
def reverify_view(request: Request, pk: int) -> Response:
    """重核 by the county: an upheld objection restores the recognition, otherwise the exit is upheld."""
    return _transition(request, pk, "reverify", ReverifyInput, finding="finding")


@extend_schema(responses={(200, "application/pdf"): bytes})
@api_view(["GET"])
def letter_view(request: Request, pk: int) -> HttpResponse:
    """取消就业困难人员认定告知书, once confirmed (409 before)."""
    return exit_letter_response(request, exit_for_user(request.user, pk))
