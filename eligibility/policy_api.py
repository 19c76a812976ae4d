"""The public policy catalogue (API.md "Policies (public, no login)"): what each regional document
requires, recognises, excludes, asks for, has applicants commit to, ends recognition for, and how
its procedure runs — each item with its article, straight from the policy modules."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import api_view, authentication_classes, permission_classes
from rest_framework.exceptions import NotFound
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response

from eligibility import policies
from eligibility.policies.base import MaterialItem


class RuleOutput(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()
    article = serializers.CharField()


class MaterialOutput(RuleOutput):
    categories = serializers.SerializerMethodField(help_text="适用的就业困难类型；空表示所有申请人都需提供")

    def get_categories(self, item: MaterialItem) -> list[str]:
        return sorted(item.categories)


class CommitmentOutput(serializers.Serializer):
    code = serializers.CharField()
    text = serializers.CharField()
    article = serializers.CharField()
    required = serializers.BooleanField()


class ProcedureOutput(serializers.Serializer):
    township_review = serializers.BooleanField(help_text="社区初审后是否由街道（乡镇）复核")
    forward_negative_initial = serializers.BooleanField(help_text="初审不通过是否仍上报")
    stage_working_days = serializers.DictField(child=serializers.IntegerField(), help_text="各环节时限（工作日）")
    whole_working_days = serializers.IntegerField(allow_null=True, help_text="全程时限（工作日），自受理起算")
    articles = serializers.DictField(child=serializers.CharField())


class PolicySummaryOutput(serializers.Serializer):
    code = serializers.CharField()
    document = serializers.CharField(help_text="文号")
    title = serializers.CharField()
    province = serializers.CharField(help_text="省级区划代码前两位")
    province_name = serializers.CharField()
    issuer = serializers.CharField()
    valid_from = serializers.DateField()
    valid_until = serializers.DateField(allow_null=True)


class PolicyDetailOutput(PolicySummaryOutput):
    issued_on = serializers.DateField()
    basic_requirements = RuleOutput(many=True, source="requirements")
    categories = RuleOutput(many=True)
    exclusions = RuleOutput(many=True)
    materials = MaterialOutput(many=True)
    commitments = CommitmentOutput(many=True)
    exit_reasons = RuleOutput(many=True)
    procedure = ProcedureOutput()
    approval_form_title = serializers.CharField()
    notice_heading = serializers.CharField()


@extend_schema(responses=PolicySummaryOutput(many=True), summary="认定政策目录（公开）", operation_id="policies_list")
@api_view(["GET"])
@authentication_classes([])
@permission_classes([AllowAny])
def policy_list_view(request: Request) -> Response:
    return Response(PolicySummaryOutput(policies.POLICIES.values(), many=True).data)


@extend_schema(responses=PolicyDetailOutput, summary="认定政策详情（公开）", operation_id="policies_retrieve")
@api_view(["GET"])
@authentication_classes([])
@permission_classes([AllowAny])
def policy_detail_view(request: Request, code: str) -> Response:
    try:
        policy = policies.get(code)
    except policies.UnknownPolicy:
        raise NotFound("没有这个政策。") from None
    return Response(PolicyDetailOutput(policy).data)
