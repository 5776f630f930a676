"""Columns the admin lists of the report process share."""

from django.utils.functional import cached_property
from wagtail.admin.ui.tables import Column, TitleColumn


class LinkedRowsMixin:
    """For an index view. Wagtail links a row only when the first column is a field name; ours are Columns with
    their own labels, so the first one becomes a link to the row: its edit view for people who may edit it, else
    its inspect view."""

    @cached_property
    def columns(self):
        first, *rest = super().columns
        if isinstance(first, TitleColumn):
            return [first, *rest]
        title = self._get_title_column_class(TitleColumn)(
            first.name,
            label=first.label,
            accessor=first.accessor,
            sort_key=first.sort_key,
            get_url=lambda instance: self.get_edit_url(instance) or self.get_inspect_url(instance),
        )
        return [title, *rest]


class ReportStatusColumn(Column):
    """A report's status as the tag every page of the service shows (workflow.templatetags.report_status), in the
    same colour; the accessor gives the report, or None for "Not started". The admin loads the tag colours from
    workflow/static/workflow/admin.css."""

    cell_template_name = "workflow/admin/status_tag_cell.html"

    def __init__(self, name, accessor=None, **kwargs):
        super().__init__(name, accessor=accessor or (lambda report: report), **kwargs)
