# This file is part of Pôle.
"""An independent reader of a FEC, as the administration's test tool would
read it (LPF art. A47 A-1, BOI-CF-IOR-60-40-20): it shares no code with
the export, only the published format.

parse_fec(raw) decodes the bytes from ISO-8859-15, splits the records on
CR and/or LF and the fields on the separator of the header (a tab or "|"),
and raises FECError on the first departure from the format:

- the header line holds the 18 field names, in their order;
- every record has 18 fields;
- the dates are YYYYMMDD and valid (DateLet may be empty);
- Debit and Credit are unsigned amounts with a decimal comma and no
  thousands separator, Montantdevise (when given) the same with a sign;
- each entry (EcritureNum) balances;
- the entries of the year are numbered from 1 without a gap, in the order
  of the file (the opening entry, "0", comes first if there is one).

It returns the records as dicts, the amounts as Decimal.
"""
import datetime as dt
import re
from collections import OrderedDict
from decimal import Decimal

HEADER = (
    'JournalCode JournalLib EcritureNum EcritureDate CompteNum CompteLib '
    'CompAuxNum CompAuxLib PieceRef PieceDate EcritureLib Debit Credit '
    'EcritureLet DateLet ValidDate Montantdevise Idevise').split()
DATES = ['EcritureDate', 'PieceDate', 'ValidDate']
AMOUNT = re.compile(r'\d+,\d{2}')
SIGNED_AMOUNT = re.compile(r'-?\d+,\d{2}')
OPENING_NUMBER = '0'


class FECError(ValueError):
    pass


def _date(value, name, number):
    if not re.fullmatch(r'\d{8}', value):
        raise FECError("%s %r of %s is not YYYYMMDD" % (name, value, number))
    try:
        dt.datetime.strptime(value, '%Y%m%d')
    except ValueError:
        raise FECError("%s %r of %s is no date" % (name, value, number))


def _amount(value, pattern, name, number):
    if not pattern.fullmatch(value):
        raise FECError("%s %r of %s is not an amount with a decimal comma"
            % (name, value, number))
    return Decimal(value.replace(',', '.'))


def parse_fec(raw):
    text = raw.decode('iso-8859-15')
    records = re.split(r'\r\n|\r|\n', text)
    if records and records[-1] == '':
        records.pop()
    if not records:
        raise FECError("empty file")
    separator = '\t' if '\t' in records[0] else '|'
    header = records[0].split(separator)
    if header != HEADER:
        raise FECError("header %r" % header)
    rows = []
    for index, record in enumerate(records[1:], 2):
        fields = record.split(separator)
        if len(fields) != len(HEADER):
            raise FECError("record %s has %s fields: %r"
                % (index, len(fields), record))
        row = dict(zip(HEADER, fields))
        number = row['EcritureNum']
        if not number:
            raise FECError("record %s has no EcritureNum" % index)
        for name in DATES:
            _date(row[name], name, number)
        if row['DateLet']:
            _date(row['DateLet'], 'DateLet', number)
        row['Debit'] = _amount(row['Debit'], AMOUNT, 'Debit', number)
        row['Credit'] = _amount(row['Credit'], AMOUNT, 'Credit', number)
        if row['Montantdevise']:
            row['Montantdevise'] = _amount(
                row['Montantdevise'], SIGNED_AMOUNT, 'Montantdevise', number)
        rows.append(row)

    entries = OrderedDict()
    for row in rows:
        entries.setdefault(row['EcritureNum'], []).append(row)
    for number, lines in entries.items():
        debit = sum(r['Debit'] for r in lines)
        credit = sum(r['Credit'] for r in lines)
        if debit != credit:
            raise FECError("entry %s: debit %s, credit %s"
                % (number, debit, credit))
    # Each entry's lines are together, the opening entry first and the
    # others in the order of their number: 2026-00001, 2026-00002... (the
    # sequence's digits at the end).
    numbers = [r['EcritureNum'] for i, r in enumerate(rows)
        if i == 0 or rows[i - 1]['EcritureNum'] != r['EcritureNum']]
    if len(numbers) != len(entries):
        raise FECError("an entry's lines are not together")
    if OPENING_NUMBER in numbers and numbers[0] != OPENING_NUMBER:
        raise FECError("the opening entry is not first")
    numbers = [n for n in numbers if n != OPENING_NUMBER]
    sequence = [int(re.search(r'(\d+)$', n).group(1)) for n in numbers]
    if sequence != list(range(1, len(sequence) + 1)):
        raise FECError("entries numbered %s" % numbers)
    return rows
