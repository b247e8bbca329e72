"""Form base classes: every choice of a related record is limited to the
user's committee, a branch secretary can only pick their own branch, every
error is plain Chinese at its field, and a duplicate links to the record it
duplicates."""

from __future__ import annotations

from pathlib import Path

from django import forms
from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db.models import F, QuerySet, UniqueConstraint
from django.db.models.lookups import Exact
from django.template.defaultfilters import filesizeformat
from django.urls import NoReverseMatch
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .access import Actor, scope


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class PeopleSelect(forms.SelectMultiple):
    """A searchable multi-select for people (Tom Select, from the django-tomselect
    package's static files); without JavaScript it is the plain list."""

    class Media:
        css = {"all": ("tomselect/vendor/tom-select/css/tom-select.bootstrap5.min.css",)}
        js = ("tomselect/js/django-tomselect.min.js", "js/people-select.js")

    def __init__(self, attrs=None):
        defaults = {
            "class": "js-people-select",
            "data-placeholder": gettext_lazy("输入姓名或支部搜索"),
            "data-no-results": gettext_lazy("没有匹配的人员"),
        }
        super().__init__(attrs={**defaults, **(attrs or {})})


def plain_messages(field: forms.Field) -> dict[str, str]:
    """Messages naming the field, instead of Django's generic ones
    ("确保该变量包含不超过 200 字符" becomes "标题最多200个字")."""
    label = field.label or ""
    plain = {"required": _("请填写%(label)s。") % {"label": label}}
    if getattr(field, "max_length", None):
        plain["max_length"] = _("%(label)s最多%(limit)s个字。") % {"label": label, "limit": field.max_length}
    if getattr(field, "min_value", None) is not None:
        plain["min_value"] = _("%(label)s不能小于%(limit)s。") % {"label": label, "limit": field.min_value}
    if getattr(field, "max_value", None) is not None:
        plain["max_value"] = _("%(label)s不能大于%(limit)s。") % {"label": label, "limit": field.max_value}
    if isinstance(field, (forms.ModelChoiceField, forms.ChoiceField)):
        plain["required"] = _("请选择%(label)s。") % {"label": label}
        plain["invalid_choice"] = _("所选的%(label)s无效，请重新选择。") % {"label": label}
        plain["invalid_pk_value"] = plain["invalid_choice"]
    if isinstance(field, forms.DateField):
        plain["invalid"] = _("%(label)s应为有效日期，例如 2020-06-01。") % {"label": label}
    elif isinstance(field, (forms.IntegerField, forms.DecimalField, forms.FloatField)):
        plain["invalid"] = _("%(label)s应填写数字。") % {"label": label}
    elif isinstance(field, forms.URLField):
        plain["invalid"] = _("%(label)s应为有效的网址。") % {"label": label}
    return plain


def _is_default(field: forms.Field, code: str) -> bool:
    """True when the field still has Django's message for ``code`` (a form's own message stays)."""
    defaults = {}
    for cls in reversed(type(field).__mro__):
        defaults.update(getattr(cls, "default_error_messages", {}))
    return str(field.error_messages.get(code, "")) == str(defaults.get(code, ""))


def constraint_fields(constraint: UniqueConstraint) -> list[str]:
    """The fields a unique rule names, also through expressions (the year of a date)."""
    if constraint.fields:
        return list(constraint.fields)
    return [name for expression in constraint.expressions for name in _field_refs(expression)]


def _field_refs(expression):
    if isinstance(expression, F):
        yield expression.name
    else:
        for source in expression.get_source_expressions():
            yield from _field_refs(source)


def _same_under(constraint: UniqueConstraint, instance) -> QuerySet:
    model = type(instance)
    if constraint.fields:
        lookup = {name: getattr(instance, model._meta.get_field(name).attname) for name in constraint.fields}
        rows = model._default_manager.filter(**lookup)
    else:
        values = {F(name): value for name, value in instance._get_field_expression_map(meta=model._meta).items()}
        rows = model._default_manager.filter(*[Exact(e, e.replace_expressions(values)) for e in constraint.expressions])
    if constraint.condition is not None:
        rows = rows.filter(constraint.condition)
    return rows.exclude(pk=instance.pk)


def live_duplicate(instance, exclude=()) -> tuple[UniqueConstraint, object] | None:
    """The live record this unsaved one would duplicate under a unique rule, and
    the rule; rules naming a field in ``exclude`` (one already in error) or an
    empty field are not asked."""
    model = type(instance)
    for constraint in model._meta.constraints:
        if not isinstance(constraint, UniqueConstraint) or not (constraint.fields or constraint.expressions):
            continue
        names = constraint_fields(constraint)
        if set(names) & set(exclude) or any(getattr(instance, model._meta.get_field(n).attname) is None for n in names):
            continue
        try:
            constraint.validate(model, instance)
        except ValidationError:
            other = _same_under(constraint, instance).first()
            if other is not None:
                return constraint, other
    return None


def record_link(obj) -> str:
    from .registry import record_type_for

    record_type = record_type_for(type(obj))
    try:
        url = record_type.url("detail", obj.pk) if record_type and record_type.form else None
    except NoReverseMatch:
        url = None
    return format_html('<a href="{}">{}</a>', url, obj) if url else format_html("{}", obj)


class RecordRules:
    """A model form (record pages and admin) that applies the record's rules
    beyond ``clean()``: the many-to-many rules (``Record.clean_m2m``), and an
    error of a field the form lacks shown for the form as a whole instead of
    failing."""

    def _post_clean(self):
        super()._post_clean()
        opts = self.instance._meta
        values = {f.name: list(self.cleaned_data[f.name]) for f in opts.many_to_many if f.name in self.cleaned_data}
        if values and hasattr(self.instance, "clean_m2m"):
            try:
                self.instance.clean_m2m(values)
            except ValidationError as exc:
                self._update_errors(exc)

    def duplicate_message(self, other, constraint=None) -> str:
        """What a duplicate of ``other`` is called: the form's own words, else the
        constraint's own message where the model gives one."""
        if constraint is not None and constraint.violation_error_message != constraint.default_violation_error_message:
            return str(constraint.violation_error_message).rstrip("。")
        return _("已有相同的记录")

    def validate_unique(self):
        """A duplicate of a live record is one error, at the field, linking to that
        record. (Django skips unique rules limited to live rows: a form has no
        ``deleted_at`` field.)"""
        found = live_duplicate(self.instance, exclude=self._errors)
        if found is None:
            return super().validate_unique()
        constraint, other = found
        field = next((name for name in reversed(constraint_fields(constraint)) if name in self.fields), None)
        message = format_html("{}（{}）", self.duplicate_message(other, constraint), record_link(other))
        self.add_error(field, message)

    def _update_errors(self, errors):
        """The model's own words, at the field when the form has it. (Django would
        put the form field's message of the same code instead, e.g. "不能小于0"
        for a model rule "至少为 1", though the form's limit was met.)"""
        if hasattr(errors, "error_dict"):
            placed: dict[str, list] = {}
            for name, messages in errors.error_dict.items():
                placed.setdefault(name if name in self.fields else NON_FIELD_ERRORS, []).extend(messages)
            errors = ValidationError(placed)
        self.add_error(None, errors)


class RecordForm(RecordRules, forms.ModelForm):
    CONFIRM_DUPLICATE = "_confirm_duplicate"  # the ids of the likely duplicates the user saw

    def __init__(self, *args, actor: Actor, branch_field: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.actor = actor
        self.likely_duplicates: list = []
        for field in self.fields.values():
            queryset = getattr(field, "queryset", None)
            if queryset is not None and hasattr(queryset.model, "committee"):
                field.queryset = scope(actor, queryset, branch_field=None)
            for code, message in plain_messages(field).items():
                if _is_default(field, code):
                    field.error_messages[code] = message
        if branch_field and actor.is_branch_secretary and branch_field in self.fields:
            field = self.fields[branch_field]
            field.queryset = field.queryset.filter(pk=actor.branch.pk)
            field.required = True
            field.empty_label = None

    def validate_unique(self):
        if self.instance.committee_id is None:
            self.instance.committee = self.actor.committee
        super().validate_unique()

    def _post_clean(self):
        super()._post_clean()
        if not self._errors:
            self._ask_about_likely_duplicates()

    def _ask_about_likely_duplicates(self) -> None:
        """A probable repeat of a live record (portal.similar) is saved only once
        the user confirms it, with the same records in view."""
        model = type(self.instance)
        compared = {*model.duplicate_same, model.duplicate_text} - {None}
        if not compared or (not self.instance._state.adding and not compared & set(self.changed_data)):
            return
        found = self.instance.likely_duplicates()
        confirmed = set(str(self.data.get(self.CONFIRM_DUPLICATE, "")).split(","))
        if not found or {str(other.pk) for other in found} <= confirmed:
            return
        self.likely_duplicates = found
        links = format_html_join("、", "{}", ((record_link(other),) for other in found))
        field = model.duplicate_text if model.duplicate_text in self.fields else None
        self.add_error(
            field,
            ValidationError(
                format_html(_("可能重复：已有{}（{}）。如确认不是重复，请点击“仍然保存”。"), _likely_what(model), links),
                code="likely_duplicate",
            ),
        )

    @property
    def confirm_duplicate_value(self) -> str:
        return ",".join(str(other.pk) for other in self.likely_duplicates)


def _likely_what(model) -> str:
    """E.g. "日期相同、标题几乎相同的记录"."""
    same = "、".join(str(model._meta.get_field(name).verbose_name) for name in model.duplicate_same)
    if model.duplicate_text is None:
        return _("%(same)s相同的记录") % {"same": same}
    text = model._meta.get_field(model.duplicate_text).verbose_name
    return _("%(same)s相同、%(text)s几乎相同的记录") % {"same": same, "text": text}


def validate_upload(upload, *, extensions: set[str], max_bytes: int | None = None, image: bool = False):
    """Bound an untrusted upload by size, extension and (for images) content."""
    if upload is None or upload is False:
        return upload
    limit = max_bytes or settings.PORTAL_MAX_UPLOAD_BYTES
    if upload.size > limit:
        raise forms.ValidationError(
            _("文件过大（%(size)s），上限为 %(limit)s。")
            % {"size": filesizeformat(upload.size), "limit": filesizeformat(limit)}
        )
    suffix = Path(upload.name).suffix.lower().lstrip(".")
    if suffix not in extensions:
        raise forms.ValidationError(
            _("不支持的文件类型“%(ext)s”，允许：%(allowed)s。")
            % {"ext": suffix or "?", "allowed": "、".join(sorted(extensions))}
        )
    head = upload.read(8)
    upload.seek(0)
    if suffix == "pdf" and not head.startswith(b"%PDF"):
        raise forms.ValidationError(_("文件内容不是有效的 PDF。"))
    if suffix in {"docx", "xlsx", "pptx"} and not head.startswith(b"PK\x03\x04"):
        raise forms.ValidationError(_("文件内容与扩展名不符。"))
    if image or suffix in {"png", "jpg", "jpeg", "gif", "webp"}:
        from PIL import Image

        try:
            with Image.open(upload) as img:
                img.verify()
        except Exception:
            raise forms.ValidationError(_("文件不是有效的图片。")) from None
        finally:
            upload.seek(0)
    return upload


DOCUMENT_EXTENSIONS = {"pdf", "docx", "doc", "xlsx", "xls", "png", "jpg", "jpeg", "txt"}
IMAGE_EXTENSIONS = {"png", "jpg", "jpeg", "gif", "webp"}
