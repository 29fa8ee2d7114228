# This file is part of Pôle.
"""Exits from insertion and their destinations."""
from decimal import Decimal

from dateutil.relativedelta import relativedelta

from trytond.i18n import gettext
from trytond.model import Index, ModelSQL, ModelView, fields
from trytond.modules.hub.format import format_date
from trytond.transaction import Transaction

from .limit import limit, limit_int
from .exceptions import ExitError
from .common import (DESTINATION_CATEGORY, EXIT_CATEGORIES, EXIT_DESTINATIONS,
    INSERTION_KINDS, _company_domain, current_path, structure_kind)


class Exit(ModelSQL, ModelView):
    "Insertion exit"
    __name__ = 'insertion.exit'

    company = fields.Many2One('company.company', "Company", required=True)
    employee = fields.Many2One(
        'company.employee', "Employee", required=True,
        domain=_company_domain())
    date = fields.Date("Date", required=True)
    destination = fields.Selection(
        EXIT_DESTINATIONS, "Destination", required=True)
    category = fields.Selection(
        EXIT_CATEGORIES, "Category", readonly=True,
        help="The ASP category of the destination.")
    entry_date = fields.Date(
        "Entry Date", readonly=True,
        help="The start of the first insertion contract of the path.")
    path_days = fields.Integer("Days in Structure", readonly=True)
    hours = fields.Numeric("Hours Worked", digits=(16, 2), readonly=True)
    examined = fields.Boolean(
        "Examined", readonly=True,
        help="ACI, EI, EITI: 3 months or more in the structure; "
        "AI, ETTI: 150 hours or more.")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('date', 'DESC'), ('id', 'DESC')]
        t = cls.__table__()
        cls._sql_indexes.add(
            Index(t, (t.company, Index.Range()), (t.date, Index.Range())))

    @staticmethod
    def default_company():
        return Transaction().context.get('company')

    def get_rec_name(self, name):
        return '%s (%s)' % (self.employee.rec_name, self.date)

    @classmethod
    def search_rec_name(cls, name, clause):
        return [('employee.rec_name',) + tuple(clause[1:])]

    @classmethod
    def preprocess_values(cls, mode, values):
        values = super().preprocess_values(mode, values)
        if values.get('destination'):
            values['category'] = DESTINATION_CATEGORY[values['destination']]
        return values

    def compute_fields(self, field_names=None):
        "Store the path of the exit: entry date, length, hours, examined"
        values = super().compute_fields(field_names=field_names)
        if field_names and not {'employee', 'company', 'date'} & field_names:
            return values
        if self.id is not None and self.id >= 0:
            exclude = [('id', '!=', self.id)]
        else:
            exclude = []
        # The current path, not the first contract ever: an earlier exit
        # closed the earlier path (current_path states the rule)
        contracts = current_path(
            self.company, self.employee.party, self.date, INSERTION_KINDS,
            exit_domain=exclude)
        if not contracts:
            raise ExitError(gettext(
                    'insertion.msg_exit_no_contract',
                    employee=self.employee.rec_name,
                    date=format_date(self.date)))
        entry = min(c.start_date for c in contracts)
        hours = sum((c.hours or 0 for c in contracts), Decimal(0))
        kind = structure_kind(self.company)
        if kind in {'ai', 'etti'}:
            examined = hours >= limit('examined_hours', self.date)
        else:
            examined = self.date >= entry + relativedelta(
                months=limit_int('examined_months', self.date))
        computed = {
            'entry_date': entry,
            'path_days': (self.date - entry).days + 1,
            'hours': hours,
            'examined': examined,
            }
        values.update({k: v for k, v in computed.items()
                if getattr(self, k) != v})
        return values
