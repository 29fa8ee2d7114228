# This file is part of Pôle.
from trytond.exceptions import UserError
from trytond.model.exceptions import ValidationError


class InvalidSIRET(ValidationError):
    pass


class MemberDatesError(ValidationError):
    pass


class OnboardingError(UserError):
    pass


class MemberCurrencyError(ValidationError):
    pass
