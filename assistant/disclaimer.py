"""The one fixed notice every interface shows with every answer."""

DISCLAIMER = (
    "General information about children's social care in England, not legal advice. "
    "Every family's situation is different: for advice about yours, speak to a solicitor "
    "or the Family Rights Group advice line. If a child is in immediate danger, call 999."
)
