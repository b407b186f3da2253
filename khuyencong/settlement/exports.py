"""The findings list as a spreadsheet (per province or national, as the user sees it)."""

from django.utils.translation import gettext as _

from khuyencong.core.exports import write_table

WIDTHS = [6, 18, 22, 30, 36, 14, 18, 16, 40, 40]


def findings_xlsx(findings) -> bytes:
    headers = [_("No."), _("Project"), _("Province"), _("Kind of check"), _("What was found"), _("Severity"),
               _("Status"), _("Amount at stake (đồng)"), _("Legal basis"), _("Conclusion")]
    rows = []
    for i, f in enumerate(findings, start=1):
        rows.append([i, f.project.code, f.province.name, f.get_check_code_display(), f.reason,
                     f.get_severity_display(), f.get_status_display(), f.amount_vnd, f.basis,
                     f.decision_note or f.explanation])
    return write_table(title=_("Possible double supports"), headers=headers, rows=rows, widths=WIDTHS)
