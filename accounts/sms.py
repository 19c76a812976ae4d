"""Text messages through a pluggable backend, as Django sends email (DESIGN.md §10).

`settings.SMS_BACKEND` is a dotted path to a class with `send(message)`: the console backend logs the
text (development), the locmem backend keeps it in `accounts.sms.outbox` (tests), and a gateway's
backend raises on failure so that the outbox tries again later. `message.key` identifies one message
across retries, for gateways that drop a repeated key."""

import logging
from dataclasses import dataclass

from django.conf import settings
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class SmsMessage:
    to: str
    text: str
    key: str = ""


class BaseBackend:
    def send(self, message: SmsMessage) -> None:
        raise NotImplementedError


class ConsoleBackend(BaseBackend):
    """Development: the text goes to the log instead of a phone."""

    def send(self, message: SmsMessage) -> None:
        logger.info("SMS to %s [%s]: %s", message.to, message.key, message.text)


outbox: list[SmsMessage] = []


class LocmemBackend(BaseBackend):
    """Tests: every message sent is appended to `accounts.sms.outbox`."""

    def send(self, message: SmsMessage) -> None:
        outbox.append(message)


def get_backend() -> BaseBackend:
    return import_string(settings.SMS_BACKEND)()


def send_sms(*, to: str, text: str, key: str = "") -> None:
    """Raises whatever the backend raises: the caller decides whether to try again."""
    get_backend().send(SmsMessage(to=to, text=f"【{settings.SMS_SIGNATURE}】{text}", key=key))
