"""The lead assessor's overall rating against the one the point ratings suggest (`Rating.overall`). The report's
submit condition, the editing service and the overall rating form all ask this module whether a reason is needed."""

from workflow.models.choices import Rating


def reason_needed(overall: str | None, suggested: str | None) -> bool:
    """Whether the overall rating differs from the suggested one: only then does it need the lead's reason, and
    only then is the reason shown to the checker and the delivery team. With no point rated nothing is suggested,
    so nothing differs."""
    return bool(suggested and overall and overall != suggested)


def reason_missing(overall: str, suggested: str) -> str:
    """What to tell the lead who gives a differing overall rating without a reason."""
    return (
        f"Give a reason for an overall rating of {Rating(overall).label.lower()}: "
        f"the point ratings suggest {Rating(suggested).label.lower()}"
    )
