# This file is part of Pôle.
from trytond.exceptions import UserError
from trytond.model.exceptions import ValidationError


class AgreementError(ValidationError):
    pass


class PassError(ValidationError):
    pass


class SuspensionError(ValidationError):
    pass


class ProlongationError(ValidationError):
    pass


class ContractError(ValidationError):
    pass


class ExitError(ValidationError):
    pass


class IndicatorError(UserError):
    pass


class LimitError(UserError):
    pass
