# This file is part of Pôle.
from trytond.model.exceptions import ValidationError


class BaseTemplateError(ValidationError):
    pass
