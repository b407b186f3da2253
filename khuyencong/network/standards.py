"""The check of an application against the province's joining standards: each one met, not met, or to verify.

Only what the applicant declared is checked here; documents (diploma, health certificate, the commune's letter) are
for the centre's staff to verify, so such standards come out "to verify" rather than pretending to know.
"""

import datetime

from django.utils.translation import gettext as _

from .models import CheckOutcome, EducationLevel, Regulation, StandardKind


def _row(standard, outcome: str, detail: str) -> dict:
    return {"kind": standard.kind, "label": standard.label, "outcome": outcome, "detail": detail}


def check_standards(regulation: Regulation, *, on_date: datetime.date, birth_year: int | None,
                    residence_commune, communes, education_level: str, experience_years: int | None,
                    health_declared: bool, has_endorsement: bool) -> list[dict]:
    rows = []
    commune_ids = {c.pk for c in communes}
    for standard in regulation.standards.all():
        kind = standard.kind
        if kind == StandardKind.AGE:
            if not birth_year:
                rows.append(_row(standard, CheckOutcome.TO_VERIFY, _("Year of birth not given.")))
                continue
            age = on_date.year - birth_year
            low, high = standard.min_value, standard.max_value
            ok = (low is None or age >= low) and (high is None or age <= high)
            rows.append(_row(standard, CheckOutcome.MET if ok else CheckOutcome.NOT_MET,
                             _("Age %(age)s this year (required: %(low)s–%(high)s).")
                             % {"age": age, "low": low if low is not None else "…",
                                "high": high if high is not None else "…"}))
        elif kind == StandardKind.EDUCATION:
            if not education_level:
                rows.append(_row(standard, CheckOutcome.TO_VERIFY, _("Education not given.")))
                continue
            required = standard.education_level
            ok = not required or EducationLevel.rank(education_level) >= EducationLevel.rank(required)
            rows.append(_row(standard, CheckOutcome.MET if ok else CheckOutcome.NOT_MET,
                             _("Declared: %(declared)s; required at least: %(required)s. Check the diploma.")
                             % {"declared": EducationLevel(education_level).label,
                                "required": EducationLevel(required).label if required else "—"}))
        elif kind == StandardKind.EXPERIENCE:
            if experience_years is None:
                rows.append(_row(standard, CheckOutcome.TO_VERIFY, _("Experience not given.")))
                continue
            needed = standard.min_value or 0
            rows.append(_row(standard, CheckOutcome.MET if experience_years >= needed else CheckOutcome.NOT_MET,
                             _("Declared %(years)s years; required at least %(needed)s.")
                             % {"years": experience_years, "needed": needed}))
        elif kind == StandardKind.RESIDENCE:
            if residence_commune is None:
                rows.append(_row(standard, CheckOutcome.TO_VERIFY, _("Commune of residence not given.")))
            elif standard.min_value:
                ok = residence_commune.pk in commune_ids
                rows.append(_row(standard, CheckOutcome.MET if ok else CheckOutcome.NOT_MET,
                                 _("Lives in %(commune)s; must live in one of the communes applied for.")
                                 % {"commune": residence_commune.name}))
            else:
                ok = residence_commune.province_id == regulation.province_id
                rows.append(_row(standard, CheckOutcome.MET if ok else CheckOutcome.NOT_MET,
                                 _("Lives in %(commune)s; must live in the province.")
                                 % {"commune": residence_commune.name}))
        elif kind == StandardKind.HEALTH:
            rows.append(_row(standard, CheckOutcome.TO_VERIFY if health_declared else CheckOutcome.NOT_MET,
                             _("Declared in good health: check the health certificate.") if health_declared
                             else _("Good health not declared.")))
        elif kind == StandardKind.ENDORSEMENT:
            rows.append(_row(standard, CheckOutcome.TO_VERIFY if has_endorsement else CheckOutcome.NOT_MET,
                             _("Says the commune endorses the application: check the letter.") if has_endorsement
                             else _("No endorsement from the commune yet.")))
        else:
            rows.append(_row(standard, CheckOutcome.TO_VERIFY, _("Checked by the centre's staff.")))
    return rows


def summary(checks: list[dict]) -> dict[str, int]:
    counts = dict.fromkeys(CheckOutcome.values, 0)
    for row in checks:
        counts[row["outcome"]] = counts.get(row["outcome"], 0) + 1
    return counts
