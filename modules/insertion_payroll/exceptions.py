# This file is part of Pôle.
from trytond.exceptions import UserError
from trytond.model.exceptions import ValidationError


class PayrollImportError(UserError):
    pass


class PayrollLineError(ValidationError):
    pass


class PayrollPostError(UserError):
    pass
