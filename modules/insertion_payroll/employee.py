# This file is part of Pôle.
from trytond.model import Unique, fields
from trytond.pool import PoolMeta


class Employee(metaclass=PoolMeta):
    __name__ = 'company.employee'

    payroll_number = fields.Char("Payroll Number",
        help="The employee's number (matricule) in the payroll files of "
        "the structure; the party's code when empty.")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        # per structure: two associations may both have an employee "001"
        cls._sql_constraints += [
            ('payroll_number_unique', Unique(t, t.company, t.payroll_number),
                'insertion_payroll.msg_employee_payroll_number_unique'),
            ]

    @property
    def payroll_code(self):
        "The number of the employee in the payroll files"
        return self.payroll_number or self.party.code
