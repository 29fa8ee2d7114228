# This file is part of Pôle.
"""The payroll import never guesses: each malformed file below is refused
by a named error (line, column, reason), writes nothing and raises no
other exception than PayrollImportError.  And the right files are read
right: CR-only endings, BOM, UTF-16, per-company numbers, 437x split."""
import datetime as dt
from decimal import Decimal

from trytond.modules.company.tests import set_company
from trytond.pool import Pool
from trytond.tests.test_tryton import with_transaction

from ..exceptions import PayrollImportError, PayrollLineError
from . import test_module as base
from .tools import PayrollFilesTestCase

D = dt.date
HEADER = base.HEADER.rstrip('\n')
# A1's March: gross 1 330.63 - employee contributions 292.74 - tax 0
# = net 1 037.89 (the hand-worked month of test_module)
GOOD = ['2026-03', 'A1', '112,67', '110,00', '1330,63', '292,74', '95,00',
    '1037,89', '0', '0', 'EV']


def row(**cells):
    "GOOD with some cells changed, by header name"
    names = HEADER.split(';')
    values = list(GOOD)
    for name, value in cells.items():
        values[names.index(name)] = value
    return ';'.join(values)


def text(*rows, header=HEADER, end='\n'):
    return (end.join((header,) + rows) + end).encode('utf-8')


A1 = ';'.join(GOOD)
A2 = row(matricule='A2')

# name -> (file, [texts the error must hold])
CASES = {
    'empty': (b'', ['The payroll file is empty']),
    'blank_lines': (b'\n \r\n\t\n', ['The payroll file is empty']),
    'bom_only': (b'\xef\xbb\xbf', ['The payroll file is empty']),
    'header_only': (text(), ['has its header but no line']),
    'header_blank_rows': (text(';;;;;;;;;;', ''),
        ['has its header but no line']),
    'misspelled_column': (text(A1, header=HEADER.replace('primes', 'prime')),
        ['Line 1, column 10: the column "prime" is unknown (did you mean '
            '"primes"?)']),
    'unknown_column': (text(A1 + ';x', header=HEADER + ';remarque'),
        ['Line 1, column 12: the column "remarque" is unknown.']),
    'column_twice': (text(A1 + ';1330,63', header=HEADER + ';brut'),
        ['Line 1, column 12: the column "brut" is there twice']),
    'missing_column': (
        text(';'.join(GOOD[:7] + GOOD[8:]),
            header=HEADER.replace(';net;', ';')),
        ['Line 1: The payroll file lacks the columns: net']),
    'empty_column_name': (text(A1 + ';', header=HEADER + ';'),
        ['Line 1, column 12: the column "" is unknown']),
    'two_separators': (text(A1, header=HEADER.replace(';brut', ',brut')),
        ['Line 1 of the payroll file (its header) must separate']),
    'no_separator': (b'paie de mars\n2026-03\n',
        ['Line 1 of the payroll file (its header) must separate']),
    'truncated_row': (text(A1, ';'.join(GOOD[:5])),
        ['Line 3, column cotisations_salariales: the row stops after 5 '
            'cells of 11']),
    'extra_cell': (text(A1 + ';12'),
        ['Line 2, column 12: the row has 12 cells for 11 columns']),
    'commas_in_semicolon_file': (text(A1.replace(';', ',')),
        ['Line 2, column matricule: the row stops after 1 cells of 11']),
    'decimal_comma_unquoted_in_comma_file': (
        text(A1.replace(';', ','), header=HEADER.replace(';', ',')),
        ['Line 2, column 12: the row has 17 cells for 11 columns']),
    'nan': (text(row(brut='NaN')),
        ['Line 2, column brut: "NaN" is not a number']),
    'inf': (text(row(net='inf')),
        ['Line 2, column net: "inf" is not a number']),
    'minus_infinity': (text(row(impot_preleve='-Infinity')),
        ['Line 2, column impot_preleve: "-Infinity" is not a number']),
    'exponent': (text(row(cotisations_patronales='9.5E1')),
        ['Line 2, column cotisations_patronales: "9.5E1" is not a number']),
    'three_decimals': (text(row(brut='1330,631')),
        ['Line 2, column brut: "1330,631" is not a number']),
    'dot_thousands': (text(row(brut='1.330,63')),
        ['Line 2, column brut: "1.330,63" is not a number']),
    'huge_number': (text(row(heures_payees='123456789012')),
        ['Line 2, column heures_payees: "123456789012" is not a number']),
    'text_hours': (text(row(heures_travaillees='cent')),
        ['Line 2, column heures_travaillees: "cent" is not a number']),
    'empty_net': (text(row(net='')),
        ['Line 2, column net: the cell is empty']),
    'impossible_day': (text(row(mois='2024-01-45')),
        ['Line 2, column mois: the month "2024-01-45" is not a month']),
    'february_30': (text(row(mois='2026-02-30')),
        ['Line 2, column mois: the month "2026-02-30" is not a month']),
    'month_13': (text(row(mois='2026-13')),
        ['Line 2, column mois: the month "2026-13" is not a month']),
    'month_in_words': (text(row(mois='mars 2026')),
        ['Line 2, column mois: the month "mars 2026" is not a month']),
    'negative_gross': (
        text(row(brut='-1330,63', net='-1623,37')),
        ['Line 2, column brut: the amount -1330,63 is negative on a line '
            'not marked as a correction']),
    'negative_tax_not_correction': (
        text(row(impot_preleve='-10,00', net='1047,89') + ';non',
            header=HEADER + ';correction'),
        ['Line 2, column impot_preleve: the amount -10,00 is negative']),
    'bad_correction_flag': (text(A1 + ';peut-être',
            header=HEADER + ';correction'),
        ['Line 2, column correction: "peut-être" is not a correction flag']),
    'net_one_cent_over': (text(row(net='1037,90')),
        ['Line 2, column net: gross 1 330,63 - contributions 292,74 - tax 0,00 = '
            '1 037,89, not the net pay 1 037,90']),
    'net_one_cent_under': (text(row(net='1037,88')),
        ['Line 2, column net: gross 1 330,63 - contributions 292,74 - tax 0,00 = '
            '1 037,89, not the net pay 1 037,88']),
    'bonuses_over_gross': (text(row(primes='1400,00')),
        ['Line 2, column primes: the bonuses 1 400,00 are over the gross '
            '1 330,63']),
    'other_contributions_over': (
        text(A1 + ';400,00', header=HEADER + ';cotisations_autres_organismes'),
        # 292.74 + 95.00 = 387.74 < 400.00
        ['Line 2, column cotisations_autres_organismes: the contributions '
            'to other bodies 400,00 are over the employee and employer '
            'contributions 387,74']),
    'cr_only_error_line_3': (text(A1, row(mois='2026-03-45'), end='\r'),
        ['Line 3, column mois: the month "2026-03-45" is not a month']),
    'field_over_128k': (text(row(action='x' * 140000)),
        ['Line 2, column action: a cell is over the size limit of 128 KB']),
    'field_over_128k_not_last': (text(A1, row(brut='1' * 140000)),
        ['Line 3, column brut: a cell is over the size limit of 128 KB']),
    'header_over_128k': (text(A1, header=HEADER + ';' + 'y' * 140000),
        ['Line 1, column 12: a cell is over the size limit of 128 KB']),
    # a quoted cell of short runs and separators: csv's own limit
    'quoted_field_over_128k': (text(row(action='"%s"' % ('x;' * 70000))),
        ['Line 2: a cell is over the size limit of 128 KB']),
    'cell_over_256': (text(row(action='x' * 300)),
        ['Line 2, column action: a value of 300 characters, over the 256']),
    'quote_not_closed': (text(A1, row(matricule='"A2')),
        ['a quote (") is not closed']),
    'text_after_quote': (text(row(matricule='"A1"x')),
        ['Line 2: a quote (") is not closed, or text follows']),
    'broken_utf8': (text(A1).replace(b'\n', b'\n\xc3\xa9', 1) + b'\xe9\n',
        ['cannot be read as UTF-8 at line 3']),
    # 0x81 has no character in Windows-1252 (nor is it UTF-8)
    'cp1252_undefined_byte': (text(A1).replace(b';EV\n', b';E\x81V\n'),
        ['cannot be read as Windows-1252 at line 2']),
    'nul_byte': (text(A1, row(matricule='A\x002')),
        ['Line 3 of the payroll file holds the control character 00']),
    'utf16_odd_length': (b'\xff\xfe' + 'mois;'.encode('utf-16-le') + b'x',
        ['cannot be read as UTF-16 at line 1']),
    'unknown_employee': (text(row(matricule='ZZ9')),
        ['Line 2, column matricule: no employee of the structure has the '
            'number "ZZ9"']),
    'employee_of_another_structure': (text(row(matricule='X1')),
        ['Line 2, column matricule: no employee of the structure has the '
            'number "X1"']),
    'unknown_action': (text(row(action='VERGER')),
        ['Line 2, column action: no action of the structure has the code '
            '"VERGER"']),
    'hours_over_250': (text(row(heures_payees='300')),
        ['Line 2, column heures_payees: 300 hours in a month is impossible']),
    'month_outside_contract': (text(row(matricule='C1', mois='2026-06')),
        ['Line 2, column mois: the month 06/2026 is outside the contracts of '
            '"Salarié C1"']),
    'month_already_imported': (
        text(row(matricule='A2', mois='2026-02', action='MARAI')),
        ['Line 2, column mois: the month 02/2026 of "Salarié A2" is already '
            'imported']),
    'month_twice_in_file': (text(A1, A2, A1),
        ['Line 4, column mois: the month 03/2026 of "Salarié A1" is already '
            'on line 2']),
    # Other digits than 0-9 are not read as figures nor months
    'arabic_indic_digits': (text(row(brut='١٣٣٠,٦٣')),
        ['Line 2, column brut: "١٣٣٠,٦٣" is not a number']),
    'fullwidth_digits': (text(row(heures_payees='１１２,６７')),
        ['Line 2, column heures_payees: "１１２,６７" is not a number']),
    'fullwidth_month': (text(row(mois='２０２６-０３')),
        ['Line 2, column mois: the month "２０２６-０３" is not a month']),
    'unicode_minus': (text(row(brut='\u22121330,63', net='-1623,37')),
        ['Line 2, column brut: "\u22121330,63" is not a number']),
    'year_0000': (text(row(mois='0000-03')),
        ['Line 2, column mois: the month "0000-03" is not a month']),
    'month_zero': (text(row(mois='2026-00')),
        ['Line 2, column mois: the month "2026-00" is not a month']),
    'negative_hours': (text(row(heures_payees='-1')),
        ['Line 2, column heures_payees: -1 hours in a month is impossible']),
    'worked_hours_over_250': (text(row(heures_travaillees='251')),
        ['Line 2, column heures_travaillees: 251 hours in a month is '
            'impossible']),
    'empty_matricule': (text(row(matricule='')),
        ['Line 2, column matricule: no employee of the structure has the '
            'number ""']),
    'tab_separated': (text(A1.replace(';', '\t'),
            header=HEADER.replace(';', '\t')),
        ['Line 1 of the payroll file (its header) must separate']),
    # Excel's "sep=;" line is not a header
    'excel_sep_line': (b'sep=;\n' + text(A1),
        ['Line 1, column 1: the column "sep=" is unknown']),
    'header_again_in_rows': (text(A1, HEADER),
        ['Line 3, column mois: the month "mois" is not a month',
            'Line 3, column brut: "brut" is not a number']),
    # A file cut off in the middle of a row (no end of line)
    'file_cut_mid_row': (text(A1) + b'2026-03;A2;112,6',
        ['Line 3, column heures_travaillees: the row stops after 3 cells '
            'of 11']),
    'bom_then_bad_month': (b'\xef\xbb\xbf' + text(row(mois='2026-3-32')),
        ['Line 2, column mois: the month "2026-3-32" is not a month']),
    'utf16_nan': (('\ufeff' + text(row(net='NaN')).decode('utf-8')).encode(
            'utf-16-le'),
        ['Line 2, column net: "NaN" is not a number']),
    'mixed_endings': (HEADER.encode() + b'\r\n' + A1.encode() + b'\n'
            + row(matricule='A2', brut='x').encode() + b'\r',
        ['Line 3, column brut: "x" is not a number']),
    # February's file saved again by Excel (CR LF, BOM): another digest,
    # but its month is already imported
    'same_file_resaved': (b'\xef\xbb\xbf' + text(
            row(matricule='A2', mois='2026-02'), end='\r\n'),
        ['Line 2, column mois: the month 02/2026 of "Salarié A2" is already '
            'imported']),
    'same_month_as_mm_yyyy': (text(row(matricule='A2', mois='02/2026')),
        ['Line 2, column mois: the month 02/2026 of "Salarié A2" is already '
            'imported']),
    'too_big': (text(A1) + b' ' * (20 * 1024 * 1024),
        ['The payroll file weighs 20 MB, over the 20 MB allowed']),
    'errors_capped': (text(*[row(brut='x%s' % i) for i in range(150)]),
        ['Nothing was imported: 150 lines of the payroll file are wrong',
            'Line 101, column brut: "x99" is not a number',
            '... and 50 more errors, not shown.']),
    }


class PayrollImportFilesTestCase(PayrollFilesTestCase):
    "Test the payroll import's refusals"

    def jardins(self):
        """Jardins (A1, A2 all year, C1 to April, actions MARAI and EV, A2's
        February imported) and Recyclerie (X1)"""
        Import = Pool().get('insertion.payroll.import')
        recyclerie = self.structure("Recyclerie", siret='41234503500015')
        with set_company(recyclerie):
            self.staff(recyclerie, ['X1'])
        company = self.structure()
        with set_company(company):
            self.staff(company, ['A1', 'A2'])
            self.staff(company, ['C1'], end=D(2026, 4, 30))
            self.actions(company)
            Import.import_file(company, text(row(
                        matricule='A2', mois='2026-02')), 'fevrier.csv')
        return company

    def check_refused(self, data, expected, again='skip'):
        Import = Pool().get('insertion.payroll.import')
        company = self.jardins()
        with set_company(company):
            before = self.written()
            self.assertEqual(before, (1, 1))
            # any other exception (a traceback) fails the test
            with self.assertRaises(PayrollImportError) as cm:
                Import.import_file(company, data, 'paie.csv', again=again)
            for part in expected:
                self.assertIn(part, cm.exception.message)
            self.assertEqual(self.written(), before)
        return cm.exception.message

    @with_transaction()
    def test_errors_capped_lines(self):
        "The report shows the first 100 errors only"
        message = self.check_refused(*CASES['errors_capped'])
        self.assertEqual(message.count('\nLine '), 100)
        self.assertNotIn('"x100"', message)

    @with_transaction()
    def test_mutated_files_no_crash(self):
        """400 files, each the good file of A1 and A2 with 1 to 3 bytes
        removed, inserted or replaced (a separator, a quote, an end of line,
        a digit, a sign, a space, a byte over 0x7f, a NUL): each is imported
        or refused by PayrollImportError with nothing written, never an
        other exception (seeded: the same files at each run)"""
        company = self.jardins()
        good = text(A1, A2)
        noise = [b';', b',', b'"', b'\r', b'\n', b'0', b'9', b'-', b' ',
            b'.', b'\xe9', b'\xc3', b'\xff', b'\x00']

        def check(import_, before, data):
            # a change that leaves a valid file (an hour figure, a
            # trailing space): its lines
            self.assertIn(len(import_.lines), [1, 2], data)
            self.assertEqual(self.written(), (before[0] + 1,
                    before[1] + len(import_.lines)), data)
        with set_company(company):
            outcomes = self.import_mutated(company, good, noise, 400, check)
        self.assertGreater(outcomes['refused'], 300, outcomes)
        self.assertGreater(outcomes['imported'], 0, outcomes)

    @with_transaction()
    def test_file_again_refused(self):
        "The wizard's import of a file already imported is refused by name"
        self.check_refused(text(row(matricule='A2', mois='2026-02')), [
                'This payroll file has already been imported on',
                '("fevrier.csv"): nothing is imported again'],
            again='refuse')

    @with_transaction()
    def test_file_again_skipped(self):
        "import_file's default: the same file again imports nothing"
        Import = Pool().get('insertion.payroll.import')
        company = self.jardins()
        with set_company(company):
            self.assertIsNone(Import.import_file(
                    company, text(row(matricule='A2', mois='2026-02'))))
            self.assertEqual(self.written(), (1, 1))

    def check_read(self, data, **figures):
        "The file is imported: one line for A1 with the figures"
        Import = Pool().get('insertion.payroll.import')
        company = self.jardins()
        with set_company(company):
            import_ = Import.import_file(company, data, 'mars.csv')
            line, = import_.lines
            self.assertEqual(self.written(), (2, 2))
            values = dict(month=D(2026, 3, 1), gross=Decimal('1330.63'),
                net=Decimal('1037.89'), hours_paid=Decimal('112.67'),
                bonuses=Decimal(0))
            values.update(figures)
            for name, value in values.items():
                self.assertEqual(getattr(line, name), value, name)
            self.assertEqual(line.employee.party.code, 'A1')
        return line

    @with_transaction()
    def test_cr_only(self):
        "Old Mac line endings (CR only) are read as lines"
        self.check_read(text(A1, end='\r'))

    @with_transaction()
    def test_crlf_bom(self):
        "Windows: CR LF and a UTF-8 BOM"
        self.check_read(b'\xef\xbb\xbf' + text(A1, end='\r\n'))

    @with_transaction()
    def test_utf16(self):
        "UTF-16 with its BOM (Excel's 'Unicode text')"
        self.check_read(('\ufeff' + text(A1).decode('utf-8')).encode(
                'utf-16-le'))

    @with_transaction()
    def test_exact_net_and_other_forms(self):
        """A net exact to the cent, a day in the month, thousands with a
        space, a bonus within the gross"""
        self.check_read(text(row(mois='2026-03-31', brut='1 330,63',
                    primes='100,00')), bonuses=Decimal('100.00'))

    @with_transaction()
    def test_correction_negative(self):
        """A correction line may be negative and adds to a month already
        imported: -10.00 gross - (-2.20) contributions = -7.80 net"""
        Import = Pool().get('insertion.payroll.import')
        company = self.jardins()
        with set_company(company):
            import_ = Import.import_file(company, text(
                    row(matricule='A2', mois='2026-02', heures_payees='0',
                        heures_travaillees='0', brut='-10,00',
                        cotisations_salariales='-2,20',
                        cotisations_patronales='0', net='-7,80',
                        primes='0') + ';oui',
                    header=HEADER + ';correction'))
            line, = import_.lines
            self.assertEqual((line.correction, line.gross, line.net),
                (True, Decimal('-10.00'), Decimal('-7.80')))

    @with_transaction()
    def test_employee_number_per_company(self):
        """Two associations both have an employee "001": each file's line
        goes to the employee of its own structure"""
        pool = Pool()
        Import = pool.get('insertion.payroll.import')
        lines = {}
        for name, siret in [("Jardins", '41234502700012'),
                ("Recyclerie", '41234503500015')]:
            company = self.structure(name, siret=siret)
            with set_company(company):
                employee, _ = self.person(company, "Salarié de %s" % name,
                    pass_start=D(2026, 1, 1))
                employee.payroll_number = '001'
                employee.save()
                self.contract(employee, D(2026, 1, 1), D(2026, 12, 31))
                import_ = Import.import_file(company, text(
                        row(matricule='001', action='')))
                lines[name], = import_.lines
        self.assertEqual(
            sorted((l.company.rec_name, l.employee.rec_name)
                for l in lines.values()),
            [("Jardins", "Salarié de Jardins"),
                ("Recyclerie", "Salarié de Recyclerie")])

    @with_transaction()
    def test_other_bodies_437(self):
        """The contributions to other bodies go to 437, the rest to 431.
        A1: employee 292.74 + employer 95.00 = 387.74 contributions, of
        which 150.00 to pension/unemployment bodies: 437 150.00, 431 237.74;
        6411 1 330.63 + 6451 95.00 = 1 425.63 debit = 421 1 037.89
        + 431 237.74 + 437 150.00 credit"""
        pool = Pool()
        Import = pool.get('insertion.payroll.import')
        Line = pool.get('insertion.payroll.line')
        Account = pool.get('account.account')
        company = self.structure()
        with set_company(company):
            self.staff(company, ['A1'])
            self.books(company)
            liability, = Account.search([('code', '=', '431')])
            Account(name='437', code='437', type=liability.type,
                company=company).save()
            import_ = Import.import_file(company, text(
                    row(action='') + ';150,00',
                    header=HEADER + ';cotisations_autres_organismes'))
            line, = import_.lines
            self.assertEqual(line.other_contributions, Decimal('150.00'))
            Line.validate_line([line])
            Line.post([line])
            line = Line(line.id)
            self.assertEqual(sorted(
                    (l.account.code, l.debit, l.credit)
                    for l in line.move.lines), [
                    ('421', 0, Decimal('1037.89')),
                    ('431', 0, Decimal('237.74')),
                    ('437', 0, Decimal('150.00')),
                    ('6411', Decimal('1330.63'), 0),
                    ('6451', Decimal('95.00'), 0),
                    ])

    @with_transaction()
    def test_line_lock(self):
        """Out of draft a line changes only its state, along the workflow:
        its figures are refused; back to draft they may change"""
        Line = Pool().get('insertion.payroll.line')
        company = self.jardins()
        with set_company(company):
            line, = Line.search([])
            Line.validate_line([line])
            self.assertEqual(Line(line.id).state, 'validated')
            for values in [{'gross': Decimal('1000.00')},
                    {'state': 'validated', 'net': Decimal('1.00')}]:
                with self.assertRaisesRegex(PayrollLineError,
                        'cannot be modified: it is not draft'):
                    Line.write([Line(line.id)], values)
            Line.draft([Line(line.id)])
            line = Line(line.id)
            self.assertEqual(line.state, 'draft')
            Line.write([line], {'hours_worked': Decimal('100.00')})
            self.assertEqual(Line(line.id).hours_worked, Decimal('100.00'))

    @with_transaction()
    def test_import_lock(self):
        """A validated or posted line, and its import, can be neither
        written nor deleted, named by employee, month and gross; back to
        draft, the import of February (A2, gross 1 330.63) is deleted with
        its line"""
        pool = Pool()
        Import = pool.get('insertion.payroll.import')
        Line = pool.get('insertion.payroll.line')
        company = self.jardins()
        with set_company(company):
            self.books(company)
            import_, = Import.search([])
            line, = import_.lines
            # the test euro's symbol is "EUR"
            name = (r'"%s" for 02/2026 \(gross EUR1,330\.63\)'
                % line.employee.rec_name)
            Import.validate_lines([import_])
            for state in ['validated', 'posted']:
                self.assertEqual(Line(line.id).state, state)
                with self.refused(PayrollLineError,
                        name + ' cannot be modified: it is not draft'):
                    Line.write([Line(line.id)], {'gross': Decimal('1.00')})
                with self.refused(PayrollLineError,
                        name + ' cannot be deleted: it is not draft'):
                    Line.delete([Line(line.id)])
                for refused in [
                        lambda: Import.write([import_], {'filename': 'x'}),
                        lambda: Import.delete([import_]),
                        ]:
                    with self.refused(PayrollImportError,
                            '"fevrier.csv" cannot be modified nor deleted: '
                            'its line of ' + name + ' is not draft'):
                        refused()
                self.assertEqual(self.written(), (1, 1))
                if state == 'validated':
                    Import.post_lines([import_])
            self.assertEqual(Line(line.id).gross, Decimal('1330.63'))
            self.assertTrue(Line(line.id).move)
            # Posted, it has no way back to draft
            Line.draft([Line(line.id)])
            self.assertEqual(Line(line.id).state, 'posted')

            # A file of draft lines, validated then set back to draft, may
            # be renamed and deleted with its line
            import_ = Import.import_file(company, text(row(
                        matricule='A2', mois='2026-04')), 'avril.csv')
            Import.validate_lines([import_])
            Line.draft(list(import_.lines))
            Import.write([import_], {'filename': 'avril-2026.csv'})
            self.assertEqual(self.written(), (2, 2))
            Import.delete([Import(import_.id)])
            self.assertEqual(self.written(), (1, 1))


def _refused_test(name):
    data, expected = CASES[name]

    @with_transaction()
    def test(self):
        self.check_refused(data, expected)
    test.__name__ = 'test_refused_' + name
    test.__doc__ = "Refused by name, nothing written: %s" % name
    return test


for _name in CASES:
    setattr(PayrollImportFilesTestCase, 'test_refused_' + _name,
        _refused_test(_name))
del _name
