# This file is part of Pôle.
from trytond.model import ModelSingleton, ModelSQL, ModelView, fields


class Configuration(ModelSingleton, ModelSQL, ModelView):
    "Hub configuration: which company is the collective running the pôle"
    __name__ = 'hub.configuration'

    collective = fields.Many2One(
        'company.company', "Collective", ondelete='RESTRICT',
        help="The member association that runs the shared services.")
