"""A service's ValidationError as a page shows it again beside the form: messages by field."""

from django.core.exceptions import ValidationError


def field_errors(exc: ValidationError) -> dict[str, list[str]]:
    """Field → messages; a message without a field under "form" (a template cannot read "__all__")."""
    if hasattr(exc, "error_dict"):
        return {("form" if f == "__all__" else f): [str(m) for m in msgs] for f, msgs in exc.message_dict.items()}
    return {"form": [str(m) for m in exc.messages]}
