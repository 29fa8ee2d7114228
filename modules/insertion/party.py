# This file is part of Pôle.
"""A person employed by a structure of the pôle is personal data: the rules
of party.xml give their party (and its addresses, contact mechanisms and
identifiers, which follow their party) to the users of the employing
structures only, and the PASS IAE of a person to the structures that employ
them (insertion.xml).  The fields below exist for those rules: nobody reads
them."""
import datetime as dt
from collections import defaultdict

from sql import Null

from trytond.model import fields
from trytond.pool import Pool, PoolMeta
from trytond.tools import grouped_slice, reduce_ids
from trytond.transaction import Transaction


class Party(metaclass=PoolMeta):
    __name__ = 'party.party'

    pole_employee = fields.Function(fields.Boolean(
            "Employee in the Pôle",
            help="Whether a structure of the pôle employs the person."),
        'get_employment', searcher='search_employment')
    employers = fields.Function(fields.Many2Many(
            'company.company', None, None, "Employers",
            help="The structures of the pôle that employ the person."),
        'get_employment', searcher='search_employment')
    current_employers = fields.Function(fields.Many2Many(
            'company.company', None, None, "Current Employers",
            help="The structures of the pôle that employ the person today "
            "(by the employees' start and end dates)."),
        'get_employment', searcher='search_employment')

    @classmethod
    def get_employment(cls, parties, names):
        pool = Pool()
        Employee = pool.get('company.employee')
        employee = Employee.__table__()
        cursor = Transaction().connection.cursor()
        today = Pool().get('ir.date').today()
        employers, current = defaultdict(set), defaultdict(set)
        for sub_ids in grouped_slice([p.id for p in parties]):
            cursor.execute(*employee.select(
                    employee.party, employee.company,
                    employee.start_date, employee.end_date,
                    where=reduce_ids(employee.party, sub_ids)))
            for party, company, start, end in cursor:
                employers[party].add(company)
                if (start or dt.date.min) <= today <= (end or dt.date.max):
                    current[party].add(company)
        result = {}
        if 'pole_employee' in names:
            result['pole_employee'] = {
                p.id: bool(employers[p.id]) for p in parties}
        if 'employers' in names:
            result['employers'] = {
                p.id: sorted(employers[p.id]) for p in parties}
        if 'current_employers' in names:
            result['current_employers'] = {
                p.id: sorted(current[p.id]) for p in parties}
        return result

    @classmethod
    def search_employment(cls, name, clause):
        "A sub-query on every employee: the rules run it as root"
        pool = Pool()
        Employee = pool.get('company.employee')
        employee = Employee.__table__()
        _, operator, value = clause[:3]
        employed = employee.select(employee.party)
        if name == 'pole_employee':
            if operator not in {'=', '!='}:
                raise ValueError(clause)
            positive = (operator == '=') == bool(value)
            return [('id', 'in' if positive else 'not in', employed)]
        if value is None:
            if operator not in {'=', '!='}:
                raise ValueError(clause)
            return [('id', 'not in' if operator == '=' else 'in', employed)]
        if operator not in {'=', '!=', 'in', 'not in'}:
            raise ValueError(clause)
        companies = [value] if isinstance(value, int) else list(value)
        positive = operator in {'=', 'in'}
        if not companies:
            # In no company: nobody; in none of no company: everybody
            return [('id', '=', None)] if positive else []
        where = employee.company.in_(companies)
        if name == 'current_employers':
            today = pool.get('ir.date').today()
            where &= ((employee.start_date == Null)
                | (employee.start_date <= today))
            where &= ((employee.end_date == Null)
                | (employee.end_date >= today))
        return [('id', 'in' if positive else 'not in', employee.select(
                    employee.party, where=where))]
