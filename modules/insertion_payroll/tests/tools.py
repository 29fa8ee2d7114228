# This file is part of Pôle.
"Helpers shared by the payroll's test modules"
from trytond.tests.test_tryton import TestCase, activate_module, drop_db

from . import test_module as base


class PayrollFilesTestCase(TestCase):
    """A database of its own with the payroll, the invoicing and the
    consolidation activated, and the module test case's builders: the
    payroll files' tests (CSV and DSN) run on it without the module's
    generic tests"""
    modules = ['insertion_payroll', 'hub_invoicing', 'hub_consolidation']
    structure = base.InsertionPayrollTestCase.structure
    person = base.InsertionPayrollTestCase.person
    contract = base.InsertionPayrollTestCase.contract
    staff = base.InsertionPayrollTestCase.staff
    actions = base.InsertionPayrollTestCase.actions
    books = base.InsertionPayrollTestCase.books
    count = base.InsertionPayrollTestCase.count
    refused = base.InsertionPayrollTestCase.refused

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        drop_db()
        activate_module(cls.modules)

    @classmethod
    def tearDownClass(cls):
        super().tearDownClass()
        drop_db()
