# This file is part of Pôle.
"Helpers shared by the payroll's test modules"
from random import Random

from trytond.pool import Pool
from trytond.tests.test_tryton import TestCase, activate_module, drop_db

from ..exceptions import PayrollImportError
from . import test_module as base


def mutated(good, noise, count, seed=15):
    """count copies of the file good, each with 1 to 3 bytes removed,
    inserted or replaced by one of noise (seeded: the same files at each
    run)"""
    random = Random(seed)
    for _ in range(count):
        data = bytearray(good)
        for _ in range(random.randint(1, 3)):
            at = random.randrange(len(data))
            kind = random.randrange(3)
            if kind == 0:
                del data[at]
            elif kind == 1:
                data[at:at] = random.choice(noise)
            else:
                data[at:at + 1] = random.choice(noise)
        yield bytes(data)


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

    def written(self):
        "The number of payroll imports and lines"
        return (self.count('insertion.payroll.import'),
            self.count('insertion.payroll.line'))

    def import_mutated(self, company, good, noise, count, check):
        """Import each mutated copy of good: refused by PayrollImportError
        with nothing written, or imported, checked by check(import_, before,
        data) and removed for the next; any other exception fails.  The
        outcomes {'refused': n, 'imported': n}"""
        pool = Pool()
        Import = pool.get('insertion.payroll.import')
        Line = pool.get('insertion.payroll.line')
        outcomes = {'refused': 0, 'imported': 0}
        for data in mutated(good, noise, count):
            before = self.written()
            try:
                import_ = Import.import_file(company, data)
            except PayrollImportError:
                outcomes['refused'] += 1
                self.assertEqual(self.written(), before, data)
                continue
            outcomes['imported'] += 1
            check(import_, before, data)
            Line.delete(import_.lines)
            Import.delete([import_])
        return outcomes
