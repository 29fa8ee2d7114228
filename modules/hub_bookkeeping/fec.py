# This file is part of Pôle.
"""The FEC (fichier des écritures comptables) of the members.

account_fr's export, made faithful to the format of the LPF, article
A47 A-1 (flat file, records separated by CR and/or LF, "le caractère
séparateur de zone éventuellement utilisé est unique et non équivoque dans
chaque fichier", characters of ASCII, ISO 8859-15 or EBCDIC) and
BOI-CF-IOR-60-40-20 (first record: the names of the fields; zones separated
by a tab or "|"):

- no quoting nor escaping, which the format does not know: a field holds no
  separator instead (tabs and line breaks become a space) and a quote is
  kept as it is;
- ISO-8859-15, the characters it lacks transliterated (’ → ', – → -);
- every posted line of the year once, adjustment periods included: only
  the closing move (account.fiscalyear.balance_non_deferral's, whose origin
  is the fiscal year itself) is left out, its balances reach the next year
  as its opening entries;
- EcritureLib and PieceRef taken from the move and its origin when the line
  has none.
"""
import csv
import io
import unicodedata
import zipfile

import trytond.config as config
from trytond.i18n import gettext
from trytond.model import ModelSQL, ModelStorage, ModelView, fields
from trytond.pool import Pool, PoolMeta
from trytond.pyson import Eval
from trytond.transaction import Transaction, without_check_access

from .exceptions import BookkeepingError

FEC_ENCODING = 'iso-8859-15'
FEC_DELIMITER = '\t'
# JournalLib of the opening entries (account_fr's default is English)
OPENING_NAME = "À-nouveaux"
PROVISIONAL_SUFFIX = '-provisoire'
# Typography ISO-8859-15 lacks, as a French keyboard types it.  œ, Œ, Ÿ
# and € are in ISO-8859-15 and kept.
TRANSLITERATION = str.maketrans({
        '\u2018': "'", '\u2019': "'", '\u201a': "'", '\u201b': "'",
        '\u2032': "'", '\u201c': '"', '\u201d': '"', '\u201e': '"',
        '\u201f': '"', '\u2033': '"', '\u2010': '-', '\u2011': '-',
        '\u2012': '-', '\u2013': '-', '\u2014': '-', '\u2015': '-',
        '\u2212': '-', '\u2026': '...', '\u2022': '-',
        })


def _encodable(char):
    try:
        char.encode(FEC_ENCODING)
    except UnicodeEncodeError:
        return False
    return True


def fec_text(value):
    """value as a FEC field: on one line without a tab (a control
    character or any space becomes a space; invisible format characters
    such as the soft hyphen are dropped) and in ISO-8859-15 (typography
    transliterated, anything else decomposed by NFKD, never "?")"""
    chars = []
    for char in (value or '').translate(TRANSLITERATION):
        category = unicodedata.category(char)
        if category in {'Cc', 'Zs', 'Zl', 'Zp'}:
            chars.append(' ')
        elif category == 'Cf':
            continue
        elif _encodable(char):
            chars.append(char)
        else:
            chars.extend(c for c in unicodedata.normalize('NFKD', char)
                if _encodable(c) and not unicodedata.combining(c))
    return ''.join(chars)


class FECRun(ModelSQL, ModelView):
    """FEC produced: one record per file made by the FEC wizard or the
    batch, read-only, so that the accountant (and the to-do) knows which
    years have their FEC and since when"""
    __name__ = 'hub.bookkeeping.fec'
    __string__ = "FEC Produced"

    company = fields.Many2One('company.company', "Member", required=True,
        readonly=True)
    fiscalyear = fields.Many2One('account.fiscalyear', "Fiscal Year",
        required=True, readonly=True, ondelete='CASCADE',
        domain=[('company', '=', Eval('company', -1))])
    user = fields.Many2One('res.user', "User", readonly=True)
    filename = fields.Char("File Name", readonly=True)
    lines = fields.Integer("Lines", readonly=True,
        help="The records of the file, its header left out.")
    provisional = fields.Boolean("Provisional", readonly=True,
        help="Made from a fiscal year not locked.")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        # When: its create_date (the transaction's time, as the moves'
        # write_date the to-do compares it with)
        cls._order = [('create_date', 'DESC'), ('id', 'DESC')]

    @classmethod
    def record(cls, fiscalyear, content, filename):
        """Record the FEC of fiscalyear made now by the user, whoever may
        read it: the file is made, its record follows"""
        transaction = Transaction()
        # One record per line ended by CR LF (get_writer), the header left
        # out
        lines = max(bytes(content).count(b'\r\n') - 1, 0)
        with without_check_access():
            run, = cls.create([{
                        'company': fiscalyear.company.id,
                        'fiscalyear': fiscalyear.id,
                        'user': transaction.user,
                        'filename': filename,
                        'lines': lines,
                        'provisional': fiscalyear.state != 'locked',
                        }])
        return run


class FEC(metaclass=PoolMeta):
    __name__ = 'account.fr.fec'

    def transition_generate(self):
        pool = Pool()
        Run = pool.get('hub.bookkeeping.fec')
        state = super().transition_generate()
        # account_fr writes UTF-8; every field went through fec_text, so
        # the strict encoding fails only on a bug, never writes "?".
        content = bytes(self.result.file).decode('utf-8')
        self.result.file = self.result.__class__.file.cast(
            content.encode(FEC_ENCODING))
        self.fec_run = Run.record(self.start.fiscalyear, self.result.file,
            self.fec_filename(self.start.fiscalyear))
        return state

    @staticmethod
    def fec_filename(fiscalyear, suffix=''):
        """<SIREN>FEC<end of year>.csv: account_fr names the file after
        party.siren, which party_siret makes an identifier record (its
        code is the SIREN, spaced)"""
        siren = fiscalyear.company.party.siren
        siren = getattr(siren, 'code', siren) or ''
        return '%sFEC%s%s.csv' % (siren.replace(' ', ''),
            fiscalyear.end_date.strftime('%Y%m%d'), suffix)

    def default_result(self, fields):
        result = super().default_result(fields)
        if result.get('filename'):
            result['filename'] = self.fec_filename(self.start.fiscalyear)
        return result

    def get_writer(self, fd):
        # The format has no quoting (A47 A-1): a field holds no separator
        # (fec_text) and csv refuses to write one that would.
        return csv.writer(
            fd, delimiter=FEC_DELIMITER, quoting=csv.QUOTE_NONE,
            quotechar=None, escapechar=None, lineterminator='\r\n')

    def _column(self, name):
        return self.get_header().index(name)

    def get_start_balance(self):
        "The opening entries (à-nouveaux), first in the year, in French"
        name = config.get(
            'account_fr', 'fec_opening_name', default=None) or OPENING_NAME
        for row in super().get_start_balance():
            row[self._column('JournalLib')] = name
            row[self._column('EcritureLib')] = name
            yield [fec_text(c) for c in row]

    def get_lines(self):
        """Every posted non-zero line of the year, adjustment periods
        included, except the closing move's"""
        Line = Pool().get('account.move.line')
        fiscalyear = self.start.fiscalyear
        return Line.search([
                ('move.period.fiscalyear', '=', fiscalyear.id),
                ('move.state', '=', 'posted'),
                ['OR', ('debit', '!=', 0), ('credit', '!=', 0)],
                ['OR',
                    ('move.origin', '=', None),
                    ('move.origin', '!=', str(fiscalyear)),
                    ],
                ],
            order=[
                ('move.post_date', 'ASC'),
                ('move.number', 'ASC'),
                ('id', 'ASC'),
                ])

    def get_row(self, line, format_date, format_number):
        row = super().get_row(line, format_date, format_number)
        row[self._column('EcritureLib')] = self.get_description(line) or '-'
        return [fec_text(c) for c in row]

    def get_description(self, line):
        """The line's description, else its move's, else the name of what
        the move (or the line) comes from"""
        for record in [line, line.move]:
            if (record.description_used or '').strip():
                return record.description_used
        for origin in [line.move.origin, line.origin]:
            if isinstance(origin, ModelStorage):
                return origin.rec_name
            elif origin:
                return origin

    def get_reference(self, line):
        "The invoice number, else the origin's name, else the move number"
        Invoice = Pool().get('account.invoice')
        origin = line.move.origin
        if isinstance(origin, Invoice) and origin.number:
            return origin.number
        return super().get_reference(line) or line.move.number


class FECStart(metaclass=PoolMeta):
    __name__ = 'account.fr.fec.start'

    @classmethod
    def __setup__(cls):
        super().__setup__()
        # The closing move is left out by its origin, not by its period: a
        # depreciation in the same adjustment period stays in the FEC.
        cls.deferral_period.required = False
        cls.deferral_period.states = dict(
            cls.deferral_period.states, invisible=True)


class Member(metaclass=PoolMeta):
    __name__ = 'hub.member'

    @classmethod
    def generate_fecs(cls, date=None, members=None, provisional=False):
        """Generate the FEC of each member's fiscal year containing date.

        The year must be locked, unless provisional: then a year still open
        gives a file suffixed -provisoire.  Returns (results, archive,
        filename): archive is a zip of the files <SIREN>FEC<YYYYMMDD>.csv in
        ISO-8859-15, None when none was made.
        """
        date = date or Pool().get('ir.date').today()
        files = []
        results = cls._batch(
            'fec', members, cls._generate_fec, date, files, provisional)
        archive = None
        if files:
            data = io.BytesIO()
            with zipfile.ZipFile(data, 'w', zipfile.ZIP_DEFLATED) as zip_:
                for filename, content in files:
                    zip_.writestr(filename, content)
            archive = data.getvalue()
        return results, archive, 'FEC-%s.zip' % date.strftime('%Y%m%d')

    @classmethod
    def _generate_fec(cls, member, date, files, provisional=False):
        FEC = Pool().get('account.fr.fec', type='wizard')

        fiscalyear = cls._fiscalyear_at(member, date)
        final = fiscalyear.state == 'locked'
        if not final and not provisional:
            raise BookkeepingError(gettext(
                    'hub_bookkeeping.msg_fec_not_locked',
                    member=member.rec_name, fiscalyear=fiscalyear.name))
        # The journals' and accounts' names in the language of the books
        # (French), whoever runs the batch
        language = cls.books_language(member.company)
        with Transaction().set_context(language=language):
            session_id, _, _ = FEC.create()
            try:
                fec = FEC(session_id)
                fec.start.fiscalyear = fiscalyear.__class__(fiscalyear.id)
                fec.start.type = 'is-bic'
                fec.transition_generate()
                content = bytes(fec.result.file)
                filename = fec.fec_filename(
                    fiscalyear, '' if final else PROVISIONAL_SUFFIX)
                # The record names the file of the archive
                if fec.fec_run.filename != filename:
                    with without_check_access():
                        fec.fec_run.filename = filename
                        fec.fec_run.save()
            finally:
                FEC.delete(session_id)
        files.append((filename, content))
        if final:
            return 'done', filename
        return 'done', gettext(
            'hub_bookkeeping.msg_fec_provisional',
            filename=filename, fiscalyear=fiscalyear.name)
