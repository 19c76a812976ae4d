"""What publicity does when an application changes elsewhere: applications never imports
publicity, so it announces transitions through django-fsm's post_transition signal."""

from django.dispatch import receiver
from django_fsm.signals import post_transition

from applications.models import Application
from publicity.services import mark_withdrawn


@receiver(post_transition, sender=Application, dispatch_uid="publicity.withdrawn_line")
def mark_line_of_withdrawn_application(sender, instance: Application, name: str, method_args=(), **kwargs) -> None:
    """Inside the transition's transaction: the withdrawn person's line is marked on its notice."""
    if name == "withdraw":
        mark_withdrawn(application_id=instance.pk, on=method_args[0].today)  # the transition's Act
