"""Shared REST conventions of API.md: pagination, 409 for state conflicts, errors in one shape."""

from django_fsm import TransitionNotAllowed
from rest_framework import status
from rest_framework.exceptions import APIException
from rest_framework.pagination import PageNumberPagination
from rest_framework.views import exception_handler as drf_exception_handler


class Pagination(PageNumberPagination):
    page_size_query_param = "page_size"
    max_page_size = 100


class Conflict(APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = "当前状态不允许此操作，或已被他人处理，请刷新后重试。"
    default_code = "conflict"


def exception_handler(exc, context):
    if isinstance(exc, TransitionNotAllowed):
        exc = Conflict()
    return drf_exception_handler(exc, context)
