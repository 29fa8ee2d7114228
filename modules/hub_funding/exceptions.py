# This file is part of Pôle.
from trytond.exceptions import UserError
from trytond.model.exceptions import ValidationError


class BudgetError(ValidationError):
    pass


class StaffShareError(ValidationError):
    pass


class FundingReportError(UserError):
    pass
