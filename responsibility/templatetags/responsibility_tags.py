from django import template

from ..letter_pdf import png_data_url

register = template.Library()


@register.filter
def signature_src(signature) -> str:
    """A stored signature image as a data: URL (allowed by the CSP's img-src)."""
    return png_data_url(signature.image) if signature and signature.image else ""


@register.filter
def model_label(obj) -> str:
    return obj._meta.label_lower
