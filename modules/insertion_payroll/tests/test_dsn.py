# This file is part of Pôle.
"""The DSN (norme NEODeS) read as a payroll file: the hand-worked March of
two CDDI of the Jardins ACI gives the same lines and the same journal entry
as the same figures in the CSV file; each malformed DSN is refused by a
named error (line, rubric, reason), writes nothing and raises no other
exception than PayrollImportError."""
import datetime as dt
import os
from decimal import Decimal

from trytond.modules.company.tests import set_company
from trytond.pool import Pool
from trytond.tests.test_tryton import with_transaction

from ..exceptions import PayrollImportError
from . import test_module as base
from .tools import PayrollFilesTestCase

D = dt.date
# The DSN of March 2026 of the Jardins (SIRET 412 345 027 00012), CR LF:
#   A1 (line 19): gross (S21.G00.51 type 001) 1 330.63, hours paid 112.67
#     (S21.G00.53 type 01 in hours under the type 002), net paid 1 037.89,
#     tax 0.00; contributions URSSAF 287.74 - 50.00 (réduction générale)
#     + pension institution A0700 150.00 = 387.74, of which the employee's
#     1 330.63 - 1 037.89 - 0.00 = 292.74 and the employer's 95.00; other
#     bodies 150.00.
#   B1 (line 56): gross 1 891.22 of which bonus (S21.G00.52) 100.00, hours
#     151.67, net paid 1 462.65, tax 12.50; contributions 404.07 - 60.00
#     + 200.00 = 544.07, the employee's 1 891.22 - 1 462.65 - 12.50
#     = 416.07, the employer's 128.00; other bodies 200.00.
#   94 rubrics + the 2 of S90 = 96, as S90.G00.90.001 says.
with open(os.path.join(os.path.dirname(__file__), 'dsn_mars_2026.dsn'),
        encoding='latin-1', newline='') as _file:
    DSN = _file.read()
# The same figures as a CSV file (April: the month of March is the DSN's)
CSV = ('%s;cotisations_autres_organismes\n'
    '2026-04;A1;112,67;112,67;1330,63;292,74;95,00;1037,89;0;0;;150,00\n'
    '2026-04;B1;151,67;151,67;1891,22;416,07;128,00;1462,65;12,50;100,00;;'
    '200,00\n' % base.HEADER.rstrip('\n')).encode('utf-8')


def dsn(*changes, text=DSN):
    "The DSN with each (old, new) changed once, as bytes"
    for old, new in changes:
        assert old in text, old
        text = text.replace(old, new, 1)
    return text.encode('latin-1')


def without(*lines):
    "The DSN without the lines (each once)"
    return dsn(*[(line + '\r\n', '') for line in lines])


S90 = "S90.G00.90.001,'96'\r\nS90.G00.90.002,'1'\r\n"
A1_CONTRACT = ("S21.G00.40.001,'01012026'\r\nS21.G00.40.007,'02'\r\n"
    "S21.G00.40.009,'CDDI-A1'\r\n")

# name -> (file, month of the wizard, [texts the error must hold])
CASES = {
    'empty': (b'', None, ['The payroll file is empty']),
    'bad_rubric': (dsn(("S21.G00.51.013,'1330.63'", "S21.G00.5.013,'1'")),
        None, ['Line 34: the line is not a DSN rubric '
            '(Sxx.Gxx.xx.xxx,\'value\'): "S21.G00.5.013,\'1\'"']),
    'text_line': (dsn(("S21.G00.53.003,'10'", 'heures: 10')), None,
        ['Line 42: the line is not a DSN rubric']),
    'unquoted': (dsn(("S21.G00.51.013,'1330.63'", 'S21.G00.51.013,1330.63')),
        None, ['Line 34, rubric S21.G00.51.013: the value 1330.63 is not '
            'between single quotes']),
    'no_end': (dsn((S90, '')), None,
        ['Line 94: the DSN stops without its end block S90.G00.90']),
    'cut_in_the_middle': (DSN[:DSN.index("S21.G00.30.001,'29")].encode(
            'latin-1'), None,
        ['Line 55: the DSN stops without its end block S90.G00.90']),
    'line_removed': (without("S21.G00.40.007,'02'"), None,
        ['Line 94, rubric S90.G00.90.001: the DSN declares 96 rubrics and '
            'holds 95: it is truncated or altered']),
    'contract_before_individual': (
        dsn((A1_CONTRACT, ''), ("S21.G00.30.001,'1850375123456'",
                A1_CONTRACT + "S21.G00.30.001,'1850375123456'")), None,
        ['Line 19, rubric S21.G00.40: the block comes before any S21.G00.30 '
            'block: the rubrics are out of order']),
    'rubric_after_end': (DSN.encode('latin-1') + b"S21.G00.30.001,'1'\r\n",
        None, ['Line 97, rubric S21.G00.30: a block after the end of the DSN']),
    'february_31': (dsn(("S21.G00.40.001,'01012026'",
                "S21.G00.40.001,'31022026'")), None,
        ['Line 23, rubric S21.G00.40.001: the date "31022026" is not a date '
            '(DDMMYYYY)']),
    'month_13': (dsn(("'01032026'\r\nS20", "'01132026'\r\nS20")), None,
        ['Line 13, rubric S20.G00.05.005: the date "01132026" is not a date']),
    'month_not_first_day': (dsn(("'01032026'\r\nS20", "'15032026'\r\nS20")),
        None, ['Line 13, rubric S20.G00.05.005: the month "15032026" is not '
            'the first day of a month']),
    'nan_amount': (dsn(("'1330.63'", "'NaN'")), None,
        ['Line 34, rubric S21.G00.51.013: the amount "NaN" is not a DSN '
            'number']),
    'letters_in_amount': (dsn(("'1037.89'", "'1O37.89'")), None,
        ['Line 28, rubric S21.G00.50.004: the amount "1O37.89" is not a DSN '
            'number']),
    'decimal_comma': (dsn(("'112.67'", "'112,67'")), None,
        ['Line 41, rubric S21.G00.53.002: the amount "112,67" is not a DSN '
            'number']),
    'another_siret': (dsn(("S21.G00.11.001,'00012'",
                "S21.G00.11.001,'00020'")), None,
        ['Line 17, rubric S21.G00.11.001: the establishment\'s SIRET '
            '41234502700020 is not the SIRET of the structure '
            '(41234502700012)']),
    'another_month': (DSN.encode('latin-1'), D(2026, 4, 1),
        ['Line 13, rubric S20.G00.05.005: the DSN declares the month '
            '03/2026, not the month 04/2026 chosen for the import']),
    'unknown_employee': (dsn(("'B1'", "'ZZ9'")), None,
        ['Line 56, rubric S21.G00.30.019: no employee of the structure has '
            'the number "ZZ9"']),
    'employee_of_another_structure': (dsn(("'B1'", "'X1'")), None,
        ['Line 56, rubric S21.G00.30.019: no employee of the structure has '
            'the number "X1"']),
    # A1's February is imported (the CSV file of jardins())
    'month_already_imported': (dsn(("'01032026'\r\nS20", "'01022026'\r\nS20")),
        None, ['Line 19, rubric S20.G00.05.005: the month 02/2026 of '
            '"Salarié A1" is already imported']),
    'hours_over_250': (dsn(("'151.67'", "'300.00'")), None,
        ['Line 56, rubric S21.G00.53.002: 300 hours in a month is '
            'impossible']),
    'bonuses_over_gross': (dsn(("S21.G00.52.002,'100.00'",
                "S21.G00.52.002,'2000.00'")), None,
        ['Line 56, rubric S21.G00.52.002: the bonuses 2 000,00 are over the '
            'gross 1 891,22']),
    'negative_gross': (dsn(("'1330.63'", "'-1330.63'")), None,
        ['Line 19, rubric S21.G00.51.013: the total -1 330,63 of "Alice '
            'PREMIER" is negative']),
    # 287.74 -> 87.74: 87.74 - 50.00 + 150.00 = 187.74 < 292.74
    'contributions_under_employee_share': (dsn(("'287.74'", "'87.74'")),
        None, ['Line 19, rubric S21.G00.81.004: the contributions of "Alice '
            'PREMIER" total 187,74 (of which other bodies 150,00), under the '
            'employee\'s share 292,74 (gross 1 330,63 - net paid 1 037,89 - '
            'tax 0,00)']),
    'contribution_without_body': (
        dsn(("S21.G00.81.002,'A0700'\r\n", "S21.G00.81.002,''\r\n")), None,
        ['Line 53, rubric S21.G00.81.002: the contribution of code "131" '
            'names no body']),
    'individual_without_contract': (dsn(("S21.G00.40.001,'01012026'\r\n"
                "S21.G00.40.007,'02'\r\nS21.G00.40.009,'CDDI-B1'\r\n", ''),
            ("'96'", "'93'")), None,
        ['Line 56, rubric S21.G00.30: the individual "Bernard SECOND" lacks '
            'the block S21.G00.40.']),
    # B1's activity in days (20), not hours
    'activity_in_days': (dsn(("'10'\r\nS21.G00.52", "'20'\r\nS21.G00.52")),
        None, ['Line 79, rubric S21.G00.53.003: the paid work is measured in '
            'the unit "20", not in hours (10)',
            'Line 56, rubric S21.G00.30: the individual "Bernard SECOND" lacks '
            'the block S21.G00.53.001 = 01 (S21.G00.51.011 = 002).']),
    'no_gross': (dsn(("S21.G00.51.011,'001'\r\nS21.G00.51.013,'1330.63'",
                "S21.G00.51.011,'003'\r\nS21.G00.51.013,'1330.63'")), None,
        ['Line 19, rubric S21.G00.30: the individual "Alice PREMIER" lacks '
            'the block S21.G00.51.011 = 001.']),
    'no_establishment': (without("S21.G00.11.001,'00012'",
            "S21.G00.11.002,'8899B'"), None,
        ['the DSN ends without the rubric S21.G00.11.001']),
    'activity_before_remuneration': (dsn(
            ("S21.G00.30.019,'A1'\r\n", "S21.G00.30.019,'A1'\r\n"
                "S21.G00.53.001,'01'\r\n"), ("'96'", "'97'")), None,
        ['Line 23, rubric S21.G00.53: the block comes before any S21.G00.51 '
            'block']),
    'cr_only_error_line': (dsn(("'112.67'", "'NaN'"),
            text=DSN.replace('\r\n', '\r')), None,
        ['Line 41, rubric S21.G00.53.002: the amount "NaN" is not a DSN '
            'number']),
    }


class PayrollDsnTestCase(PayrollFilesTestCase):
    "Test the DSN import of the payroll"

    def jardins(self):
        """Jardins (A1 at 26 h, B1 at 35 h, all year, A1's February
        imported by CSV) and Recyclerie (X1)"""
        Import = Pool().get('insertion.payroll.import')
        recyclerie = self.structure("Recyclerie", siret='41234503500015')
        with set_company(recyclerie):
            self.staff(recyclerie, ['X1'])
        company = self.structure()
        with set_company(company):
            self.staff(company, ['A1', 'B1'])
            Import.import_file(company, (base.HEADER
                    + '2026-02;A1;112,67;110,00;1330,63;292,74;95,00;1037,89;'
                    '0;0;\n').encode('utf-8'), 'fevrier.csv')
        return company

    def check_refused(self, data, month, expected, again='skip'):
        Import = Pool().get('insertion.payroll.import')
        company = self.jardins()
        with set_company(company):
            before = self.written()
            self.assertEqual(before, (1, 1))
            # any other exception (a traceback) fails the test
            with self.assertRaises(PayrollImportError) as cm:
                Import.import_file(company, data, 'mars.dsn', again=again,
                    month=month)
            for part in expected:
                self.assertIn(part, cm.exception.message)
            self.assertEqual(self.written(), before)
        return cm.exception.message

    @with_transaction()
    def test_same_file_twice(self):
        "The wizard's import of a DSN already imported is refused by name"
        Import = Pool().get('insertion.payroll.import')
        company = self.jardins()
        with set_company(company):
            Import.import_file(company, DSN.encode('latin-1'), 'mars.dsn')
            before = self.written()
            self.assertEqual(before, (2, 3))
            with self.assertRaisesRegex(PayrollImportError,
                    r'already been imported on .* \("mars.dsn"\)'):
                Import.import_file(company, DSN.encode('latin-1'),
                    'mars-bis.dsn', again='refuse')
            self.assertEqual(self.written(), before)

    @with_transaction()
    def test_mutated_files_no_crash(self):
        """200 DSN, each the hand-worked one with 1 to 3 bytes removed,
        inserted or replaced (a quote, a comma, a point, an end of line, a
        digit, a sign, a letter, a byte over 0x7f, a NUL): each is imported
        or refused by PayrollImportError with nothing written, never an
        other exception (seeded: the same files at each run)"""
        company = self.jardins()
        good = DSN.encode('latin-1')
        noise = [b"'", b',', b'.', b'\r', b'\n', b'0', b'9', b'-', b'S',
            b' ', b'\xe9', b'\xc3', b'\x00']

        def check(import_, before, data):
            # a change that leaves a valid file (a name, a date of
            # payment): its lines
            self.assertEqual(len(import_.lines), 2, data)
        with set_company(company):
            outcomes = self.import_mutated(company, good, noise, 200, check)
        self.assertGreater(outcomes['refused'], 100, outcomes)
        self.assertGreater(outcomes['imported'], 0, outcomes)

    @with_transaction()
    def test_wizard_month(self):
        """The wizard passes its month: April refuses the DSN of March
        (nothing written), the 31st of March imports its 2 lines"""
        pool = Pool()
        ImportWizard = pool.get(
            'insertion.payroll.import.wizard', type='wizard')
        company = self.jardins()
        with set_company(company):
            for month, written in [(D(2026, 4, 1), (1, 1)),
                    (D(2026, 3, 31), (2, 3))]:
                session_id, _, _ = ImportWizard.create()
                wizard = ImportWizard(session_id)
                wizard.start.company = company
                wizard.start.file = DSN.encode('latin-1')
                wizard.start.filename = 'mars.dsn'
                wizard.start.month = month
                if month.month == 4:
                    with self.assertRaisesRegex(PayrollImportError,
                            'declares the month 03/2026, not the month '
                            '04/2026'):
                        wizard.transition_import_()
                else:
                    self.assertEqual(wizard.transition_import_(), 'end')
                self.assertEqual(self.written(), written)

    def check_read(self, data, month=None):
        "The DSN is imported: A1's and B1's lines of March"
        Import = Pool().get('insertion.payroll.import')
        company = self.jardins()
        with set_company(company):
            import_ = Import.import_file(company, data, 'mars.dsn',
                month=month)
            self.assertEqual(self.written(), (2, 3))
            return company, {l.employee.party.code: l for l in import_.lines}

    @with_transaction()
    def test_cr_only_and_month(self):
        "Old Mac endings (CR only), the wizard's month any day of March"
        _, lines = self.check_read(
            DSN.replace('\r\n', '\r').encode('latin-1'), D(2026, 3, 15))
        self.assertEqual(lines['A1'].gross, Decimal('1330.63'))
        self.assertEqual(lines['B1'].month, D(2026, 3, 1))

    @with_transaction()
    def test_same_as_csv(self):
        """The DSN of March and the CSV file of April with the same figures
        give the same lines and the same entries.  Posted, each month:
        6411 = gross 1 330.63 + 1 891.22 - bonus 100.00 = 3 121.85,
        6413 100.00, 6451 employer 95.00 + 128.00 = 223.00 (3 444.85 in
        debit); 421 net 1 037.89 + 1 462.65 = 2 500.54, 437 other bodies
        150.00 + 200.00 = 350.00, 431 contributions 387.74 + 544.07 - 350.00
        = 581.81, 4421 tax 12.50 (2 500.54 + 350.00 + 581.81 + 12.50
        = 3 444.85 in credit)"""
        pool = Pool()
        Import = pool.get('insertion.payroll.import')
        Line = pool.get('insertion.payroll.line')
        Account = pool.get('account.account')
        company, from_dsn = self.check_read(DSN.encode('latin-1'))
        with set_company(company):
            self.books(company)
            liability, = Account.search([('code', '=', '431')])
            Account(name='437', code='437', type=liability.type,
                company=company).save()
            import_ = Import.import_file(company, CSV, 'avril.csv')
            from_csv = {l.employee.party.code: l for l in import_.lines}
            names = ['contract', 'hours_paid', 'hours_worked', 'gross',
                'bonuses', 'employee_contributions', 'employer_contributions',
                'net', 'tax', 'other_contributions', 'action', 'correction']
            for code in ['A1', 'B1']:
                self.assertEqual(
                    [getattr(from_dsn[code], n) for n in names],
                    [getattr(from_csv[code], n) for n in names], code)
            self.assertEqual(
                [getattr(from_dsn['B1'], n) for n in names[1:10]],
                [Decimal(v) for v in ['151.67', '151.67', '1891.22',
                        '100.00', '416.07', '128.00', '1462.65', '12.50',
                        '200.00']])
            totals = []
            for lines in [from_dsn, from_csv]:
                lines = [Line(l.id) for l in lines.values()]
                Line.validate_line(lines)
                Line.post(lines)
                move, = {Line(l.id).move for l in lines}
                total = {}
                for line in move.lines:
                    total.setdefault(line.account.code, Decimal(0))
                    total[line.account.code] += line.debit - line.credit
                totals.append((move.date, total))
            self.assertEqual(totals, [(D(2026, 3, 31), {
                            '6411': Decimal('3121.85'),
                            '6413': Decimal('100.00'),
                            '6451': Decimal('223.00'),
                            '421': Decimal('-2500.54'),
                            '437': Decimal('-350.00'),
                            '431': Decimal('-581.81'),
                            '4421': Decimal('-12.50')}),
                    (D(2026, 4, 30), totals[0][1])])


def _refused_test(name):
    data, month, expected = CASES[name]

    @with_transaction()
    def test(self):
        self.check_refused(data, month, expected)
    test.__name__ = 'test_refused_' + name
    test.__doc__ = "Refused by name, nothing written: %s" % name
    return test


for _name in CASES:
    setattr(PayrollDsnTestCase, 'test_refused_' + _name, _refused_test(_name))
del _name
