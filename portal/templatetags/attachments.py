"""``{% attachment_section obj %}``: the "附件（佐证材料）" section of a record page;
``{% attachment_history obj %}``: its uploads and removals on the history page."""

from django import template

from ..attachments.selectors import attachment_history as history_of
from ..attachments.views import section_context

register = template.Library()


@register.inclusion_tag("portal/attachments/_section.html", takes_context=True)
def attachment_section(context, record):
    return section_context(context["request"], record)


@register.inclusion_tag("portal/attachments/_history.html")
def attachment_history(record):
    return {"events": history_of(record)}
