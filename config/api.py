"""Shared REST conventions of API.md: pagination, 409 for state conflicts, errors in one shape."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django_fsm import ConcurrentTransition, TransitionNotAllowed
from rest_framework import status
from rest_framework.exceptions import APIException, NotFound, ParseError, ValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.views import exception_handler as drf_exception_handler

MAX_ID = 2**63 - 1  # the largest primary key a database holds: a larger number is a 400, not a 500
NOT_JSON = "请求内容不是有效的 JSON，无法读取。"
NOT_PARSED = "请求内容的格式有误，无法读取。"


class Pagination(PageNumberPagination):
    page_size_query_param = "page_size"
    max_page_size = 100


class Conflict(APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = "当前状态不允许此操作，或已被他人处理，请刷新后重试。"
    default_code = "conflict"


def exception_handler(exc, context):
    """Service errors in API terms: a wrong state or a lost race is 409, a rule's refusal of the
    input is a field-keyed 400, PermissionDenied is DRF's own 403. Any Http404 is DRF's 404 with its
    translated 未找到。, the body of not_found below: DRF would pass on get_object_or_404's untranslated
    "No Application matches the given query.", and the answer for an object out of scope stays the one
    for an absent object whatever raised it (API.md). DRF's parsers tell a body they cannot read in
    untranslated English (ParseError), said here in Chinese."""
    if isinstance(exc, Http404):
        exc = NotFound()
    elif isinstance(exc, ParseError):
        request = context.get("request")
        exc = ParseError(NOT_JSON if request is not None and "json" in request.content_type else NOT_PARSED)
    elif isinstance(exc, ConcurrentTransition):
        exc = Conflict()
    elif isinstance(exc, TransitionNotAllowed):
        message = str(exc)  # the services say it in Chinese; django-fsm's own English text is not shown
        exc = Conflict(message if message and not message.startswith("Can't switch") else None)
    elif isinstance(exc, DjangoValidationError):
        exc = ValidationError(exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages})
    return drf_exception_handler(exc, context)


ERROR_BODY = {
    "type": "object",
    "description": '出错原因：{"detail": "…"}，或按字段给出的错误 {"字段": ["…"]}。',
    "additionalProperties": True,
}
# API.md "Errors": every operation may answer these; those that change state also 409.
ERRORS = {
    "400": "输入有误（按字段说明）。",
    "401": "未登录或令牌无效。",
    "403": "无权执行此操作。",
    "404": "不存在，或不在您的管辖范围内。",
    "429": "操作过于频繁。",
}
CONFLICT = {"409": "当前状态不允许此操作，或已被他人处理。"}


def document_errors(result, generator, request, public):
    """drf-spectacular postprocessing hook: the error answers of API.md in every operation of the schema,
    so the document says what the API does (issue 12, proof 2: schemathesis checks it)."""
    for path in result.get("paths", {}).values():
        for method, operation in path.items():
            responses = operation.setdefault("responses", {})
            codes = ERRORS | (CONFLICT if method != "get" else {})
            for code, text in codes.items():
                responses.setdefault(
                    code, {"description": text, "content": {"application/json": {"schema": ERROR_BODY}}}
                )
    return result


def not_found(request, exception=None):
    """handler404: a path under /api/ that matches no endpoint answers JSON like the API's own 404."""
    from django.http import JsonResponse
    from django.views.defaults import page_not_found

    if request.path.startswith("/api/"):
        return JsonResponse({"detail": "未找到。"}, status=404)
    return page_not_found(request, exception)
