# This file is part of Pôle.
"""The State's own cases, as one table.

Each row is a case of the public tests of les-emplois, the State's platform
(github gip-inclusion/les-emplois, tests/approvals/tests.py unless named
otherwise, and itou/approvals/models.py for its rules), run against
insertion.pass, insertion.pass.suspension and insertion.pass.prolongation:
the les-emplois test it comes from, the day it is run (today), the kind of
structure recording it, the PASS start, the steps (dates and reason in) and
the expected PASS end date after the last step, or the refusal of the last
step (a regex of our message).

les-emplois' factories build an approval ending where the test wants; ours
lasts 730 days (Approval.get_default_end_date: start + 730 - 1), so the
PASS start is chosen to give the test's end date.  Where a les-emplois test
builds a record its own clean() or form would refuse (its factories skip
them), the row follows the rule and says so; the expected date is the
test's.

The figures were worked out by hand: 2025-01-01 + 729 days = 2026-12-31
(E below); 2024 and 2028 have a 29 February.
"""
import datetime as dt
import re
import unittest
from unittest.mock import patch

from trytond.exceptions import UserError
from trytond.modules.company.tests import set_company
from trytond.pool import Pool
from trytond.tests.test_tryton import activate_module, with_transaction
from trytond.transaction import Transaction

from . import InsertionTestMixin

D = dt.date
T = 'tests/approvals/tests.py::'
V = 'tests/www/approvals_views/'
E = D(2026, 12, 31)  # The end of a PASS from 2025-01-01


def e(days):
    "E plus days (a step's date; the expectations are written out)"
    return E + dt.timedelta(days=days)


# Steps:
#   ('hire', start, planned_end): a CDDI of the structure
#   ('suspend', start, end[, reason]) (reason contract_suspended)
#   ('prolong', start, end[, reason]) (reason training, COMPLETE_TRAINING,
#       the factory's)
#   ('suspend_history', start, end, reason): a suspension with a reason
#       kept for history (recorded, then its reason set in the table, as
#       history is imported)
#   ('edit_suspension' | 'edit_prolongation', index, new_end)
#   ('delete_suspension' | 'delete_prolongation', index)
#   ('status', date): the expected value is the PASS status on that day
#   ('max_end', reason): the expected value is the latest end of one new
#       prolongation from the PASS end (les-emplois
#       Prolongation.get_max_end_at on a PASS without prolongation)
#   ('max_total', reason): prolongations of the longest length allowed, one
#       after the other, until none is left: the expected value is the PASS
#       end (get_max_end_at of a cumulative reason: start + what is left of
#       its total)
# expect: a date (the PASS end after the steps), a status, or a string (the
# regex of the refusal of the last step; the steps before it must pass)
CASES = [
    # The PASS itself
    (T + 'ApprovalFactory (tests/approvals/factories.py), '
        'Approval.get_default_end_date: 730 days, end inclusive',
        D(2025, 6, 15), 'aci', D(2025, 1, 1), [], D(2026, 12, 31)),

    # Suspensions: they push the end by end - start
    (T + 'TestSuspensionModel.test_duration: 2 days',
        D(2025, 6, 15), 'aci', D(2025, 1, 1),
        [('suspend', D(2025, 6, 15), D(2025, 6, 17))], D(2027, 1, 2)),
    (T + 'TestSuspensionModel.test_next_min_start_date_without_job_'
        'application: one day, start = end, accepted (0 days)',
        D(2025, 6, 15), 'aci', D(2025, 1, 1),
        [('suspend', D(2025, 6, 15), D(2025, 6, 15))], D(2026, 12, 31)),
    (T + 'TestSuspensionModelTrigger.test_save: from the PASS start to '
        'get_max_end_at (36 months - 1 day, 1095 days)',
        D(2025, 6, 15), 'aci', D(2025, 6, 15),
        [('suspend', D(2025, 6, 15), D(2028, 6, 14))], D(2030, 6, 13)),
    (T + 'TestSuspensionModelTrigger.test_delete: back to 730 days',
        D(2025, 6, 15), 'aci', D(2025, 6, 15),
        [('suspend', D(2025, 6, 15), D(2028, 6, 14)),
            ('delete_suspension', 0)], D(2027, 6, 14)),
    (T + 'TestSuspensionModelTrigger.test_save_and_edit: end 2 months '
        'earlier, 1034 days',
        D(2025, 6, 15), 'aci', D(2025, 6, 15),
        [('suspend', D(2025, 6, 15), D(2028, 6, 14)),
            ('edit_suspension', 0, D(2028, 4, 14))], D(2030, 4, 13)),
    ('tests/www/approvals_views/test_suspend.py::TestSuspendApproval.'
        'test_create_suspension_without_end_date: end = '
        'Suspension.get_max_end_at(today), accepted',
        D(2025, 6, 15), 'aci', D(2025, 1, 1),
        [('suspend', D(2025, 6, 15), D(2028, 6, 14))], D(2029, 12, 30)),
    ('itou/approvals/models.py::Suspension.clean: past get_max_end_at '
        '(36 months - 1 day), refused',
        D(2025, 6, 15), 'aci', D(2025, 1, 1),
        [('suspend', D(2025, 6, 15), D(2028, 6, 15))], 'at most 36 months'),
    (T + 'TestSuspensionModel.test_clean: starts more than 365 days ago',
        D(2025, 6, 15), 'aci', D(2023, 6, 16),
        [('suspend', D(2022, 6, 14), D(2022, 8, 14))],
        'earliest start is 15/06/2024'),
    (T + 'TestSuspensionModel.test_clean: ends before it starts',
        D(2025, 6, 15), 'aci', D(2025, 1, 1),
        [('suspend', D(2025, 3, 1), D(2025, 2, 1))],
        'End Date|cannot end before'),
    (T + 'TestSuspensionModel.test_clean: starts in 2 days',
        D(2025, 6, 15), 'aci', D(2025, 1, 1),
        [('suspend', D(2025, 6, 17), D(2026, 12, 31))], 'in the future'),
    (T + 'TestSuspensionModel.test_start_in_approval_boundaries: on the '
        'PASS start',
        D(2025, 6, 15), 'aci', D(2025, 6, 15),
        [('suspend', D(2025, 6, 15), D(2025, 6, 25))], D(2027, 6, 24)),
    (T + 'TestSuspensionModel.test_start_in_approval_boundaries: within',
        D(2025, 6, 20), 'aci', D(2025, 6, 15),
        [('suspend', D(2025, 6, 20), D(2025, 6, 30))], D(2027, 6, 24)),
    (T + 'TestSuspensionModel.test_start_in_approval_boundaries: on the '
        'PASS end',
        D(2026, 5, 31), 'aci', D(2024, 6, 1),
        [('suspend', D(2026, 5, 31), D(2026, 6, 10))], D(2026, 6, 10)),
    (T + 'TestSuspensionModel.test_start_in_approval_boundaries: the day '
        'before the PASS start',
        D(2025, 6, 15), 'aci', D(2025, 6, 15),
        [('suspend', D(2025, 6, 14), D(2025, 6, 25))], 'must start between'),
    (T + 'TestSuspensionModel.test_start_in_approval_boundaries: the day '
        'after the PASS end',
        D(2026, 6, 1), 'aci', D(2024, 6, 1),
        [('suspend', D(2026, 6, 1), D(2026, 6, 10))], 'must start between'),
    (T + 'TestSuspensionModel.test_next_min_start_date: hired today, '
        'the day before refused',
        D(2025, 6, 15), 'aci', D(2025, 1, 1),
        [('hire', D(2025, 6, 15), D(2025, 12, 14)),
            ('suspend', D(2025, 6, 14), D(2025, 6, 20))],
        'earliest start is 15/06/2025'),
    (T + 'TestSuspensionModel.test_next_min_start_date: hired today, '
        'from today accepted',
        D(2025, 6, 15), 'aci', D(2025, 1, 1),
        [('hire', D(2025, 6, 15), D(2025, 12, 14)),
            ('suspend', D(2025, 6, 15), D(2025, 6, 20))], D(2027, 1, 5)),
    (T + 'TestSuspensionModel.test_next_min_start_date: hired 10 days ago',
        D(2025, 6, 15), 'aci', D(2025, 1, 1),
        [('hire', D(2025, 6, 5), D(2025, 12, 4)),
            ('suspend', D(2025, 6, 4), D(2025, 6, 20))],
        'earliest start is 05/06/2025'),
    (T + 'TestSuspensionModel.test_next_min_start_date: no hiring date, '
        'today - 365 days, the day before refused',
        D(2025, 6, 15), 'aci', D(2024, 1, 1),
        [('suspend', D(2024, 6, 14), D(2024, 7, 1))],
        'earliest start is 15/06/2024'),
    (T + 'TestSuspensionModel.test_next_min_start_date: no hiring date, '
        'today - 365 days accepted',
        D(2025, 6, 15), 'aci', D(2024, 1, 1),
        [('suspend', D(2024, 6, 15), D(2024, 7, 1))], D(2026, 1, 15)),
    (T + 'TestSuspensionModel.test_overlapping_dates: the same twice',
        D(2025, 6, 15), 'aci', D(2025, 1, 1),
        [('suspend', D(2025, 3, 1), D(2028, 2, 29)),
            ('suspend', D(2025, 3, 1), D(2028, 2, 29))], 'overlaps'),
    (T + 'TestSuspensionModel.test_displayed_choices_for_siae: contrat '
        'passerelle in an ACI',
        D(2025, 6, 15), 'aci', D(2025, 1, 1),
        [('suspend', D(2025, 6, 1), D(2025, 6, 11), 'contrat_passerelle')],
        D(2027, 1, 10)),
    (T + 'TestSuspensionModel.test_displayed_choices_for_siae: contrat '
        'passerelle in an EI',
        D(2025, 6, 15), 'ei', D(2025, 1, 1),
        [('suspend', D(2025, 6, 1), D(2025, 6, 11), 'contrat_passerelle')],
        D(2027, 1, 10)),
    (T + 'TestSuspensionModel.test_displayed_choices_for_siae: no contrat '
        'passerelle in an ETTI',
        D(2025, 6, 15), 'etti', D(2025, 1, 1),
        [('suspend', D(2025, 6, 1), D(2025, 6, 11), 'contrat_passerelle')],
        'only for the structures ACI, EI'),
    (T + 'TestSuspensionModel.test_displayed_choices_for_siae: no contrat '
        'passerelle in an AI',
        D(2025, 6, 15), 'ai', D(2025, 1, 1),
        [('suspend', D(2025, 6, 1), D(2025, 6, 11), 'contrat_passerelle')],
        'only for the structures ACI, EI'),

    (V + 'test_suspend.py::TestSuspendApproval.test_update_suspension: '
        'hired yesterday, 10 days from today, then 30 days more',
        D(2025, 6, 15), 'aci', D(2025, 1, 1),
        [('hire', D(2025, 6, 14), D(2025, 12, 13)),
            ('suspend', D(2025, 6, 15), D(2025, 6, 25)),
            ('edit_suspension', 0, D(2025, 7, 25))], D(2027, 2, 9)),
    (V + 'test_suspend.py::TestSuspendApproval.test_delete_suspension: '
        'back to 730 days',
        D(2025, 6, 15), 'aci', D(2025, 1, 1),
        [('hire', D(2025, 6, 14), D(2025, 12, 13)),
            ('suspend', D(2025, 6, 15), D(2025, 6, 25)),
            ('delete_suspension', 0)], D(2026, 12, 31)),
    (V + 'test_suspend.py::TestApprovalSuspendUpdateEndDateView.test_post: '
        'back to work today, the suspension ends yesterday (9 days)',
        D(2025, 6, 15), 'aci', D(2025, 1, 1),
        [('hire', D(2025, 5, 26), D(2025, 11, 25)),
            ('suspend', D(2025, 6, 5), D(2025, 6, 25)),
            ('edit_suspension', 0, D(2025, 6, 14))], D(2027, 1, 9)),
    (V + 'test_suspend.py::TestApprovalSuspendUpdateEndDateView.test_post_'
        'with_invalid_endate: back to work before the start (MIN)',
        D(2025, 6, 15), 'aci', D(2025, 1, 1),
        [('hire', D(2025, 5, 26), D(2025, 11, 25)),
            ('suspend', D(2025, 6, 5), D(2025, 6, 25)),
            ('edit_suspension', 0, D(2025, 6, 3))],
        'End Date|cannot end before'),

    # A hiring during a suspension ends it (Approval.unsuspend)
    ] + [
    (T + 'TestApprovalModel.test_unsuspend_valid[%s]: hired on 2022-09-17, '
        'the suspension ends on 2022-09-16' % reason,
        D(2022, 9, 17), 'aci', D(2022, 6, 17),
        [('suspend', D(2022, 7, 17), D(2022, 12, 17), reason),
            ('hire', D(2022, 9, 17), D(2023, 3, 16))], D(2024, 8, 15))
    for reason in ['contract_broken', 'contract_finished', 'cta_agreement',
        'contrat_passerelle', 'contract_suspended']
    ] + [
    (T + 'TestApprovalModel.test_unsuspend_invalid[%s]: hired on '
        '2022-09-17, the suspension stays' % reason,
        D(2022, 9, 17), 'aci', D(2022, 6, 17),
        [('suspend_history', D(2022, 7, 17), D(2022, 12, 17), reason),
            ('hire', D(2022, 9, 17), D(2023, 3, 16))], D(2024, 11, 15))
    for reason in ['sickness', 'maternity', 'incarceration', 'trial',
        'detoxification', 'force_majeure']
    ] + [
    (T + 'TestApprovalModel.test_unsuspend_the_day_suspension_starts: '
        'the suspension is removed',
        D(2025, 6, 15), 'aci', D(2025, 3, 15),
        [('suspend', D(2025, 6, 15), D(2025, 8, 15), 'contract_broken'),
            ('hire', D(2025, 6, 15), D(2025, 12, 14))], D(2027, 3, 14)),
    (T + 'TestApprovalModel.test_is_valid: ends today, valid',
        D(2026, 12, 31), 'aci', D(2025, 1, 1),
        [('status', D(2026, 12, 31))], 'valid'),
    (T + 'TestApprovalModel.test_is_valid: ended yesterday, not valid',
        D(2027, 1, 1), 'aci', D(2025, 1, 1),
        [('status', D(2027, 1, 1))], 'expired'),

    # Prolongations: from the PASS end, [start, end) one after the other
    (T + 'TestProlongationManager.test_get_cumulative_duration_for: '
        '30 + 14 + 60 days',
        D(2025, 6, 15), 'aci', D(2025, 1, 1),
        [('prolong', E, e(30), 'training'),
            ('prolong', e(30), e(44), 'rqth'),
            ('prolong', e(44), e(104), 'rqth')], D(2027, 4, 14)),
    (T + 'TestProlongationModelTrigger.test_save: the factory\'s 30 days '
        '(started on the PASS end, as clean() requires; the factory '
        'starts it on the PASS start)',
        D(2025, 6, 15), 'aci', D(2025, 1, 1),
        [('prolong', E, e(30))], D(2027, 1, 30)),
    (T + 'TestProlongationModelTrigger.test_delete: back to 730 days',
        D(2025, 6, 15), 'aci', D(2025, 1, 1),
        [('prolong', E, e(30)), ('delete_prolongation', 0)],
        D(2026, 12, 31)),
    (T + 'TestProlongationModelTrigger.test_save_and_edit: end 2 days '
        'earlier, 28 days',
        D(2025, 6, 15), 'aci', D(2025, 1, 1),
        [('prolong', E, e(30)), ('edit_prolongation', 0, e(28))],
        D(2027, 1, 28)),
    (T + 'TestProlongationModelConstraint.test_exclusion_constraint: a '
        'second one from the same day',
        D(2025, 6, 15), 'aci', D(2025, 1, 1),
        [('prolong', E, e(30)), ('prolong', E, e(30))],
        'overlaps the prolongation from 31/12/2026 to 30/01/2027'),
    (T + 'TestProlongationModel.test_clean_with_wrong_start_at: 2 days '
        'before the end',
        D(2025, 6, 15), 'aci', D(2025, 1, 1),
        [('prolong', D(2026, 12, 29), D(2027, 1, 29))],
        'must start on the end date of the PASS, 31/12/2026'),
    (T + 'TestProlongationModel.test_clean_minimum_duration_error: ends '
        'the day before it starts',
        D(2025, 6, 15), 'aci', D(2025, 1, 1),
        [('prolong', E, e(-1))], 'End Date|cannot end before'),
    (T + 'TestProlongationModel.test_clean_minimum_duration_error: ends '
        'the day it starts',
        D(2025, 6, 15), 'aci', D(2025, 1, 1),
        [('prolong', E, E)], 'at least one day'),
    (T + 'TestProlongationModel.test_clean_minimum_duration_error: one day',
        D(2025, 6, 15), 'aci', D(2025, 1, 1),
        [('prolong', E, e(1))], D(2027, 1, 1)),
    (T + 'TestProlongationModel.test_clean_too_long_reason_duration_error'
        '[SENIOR_CDI]: 3650 + 1 days',
        D(2025, 6, 15), 'ai', D(2025, 1, 1),
        [('prolong', E, e(3651), 'senior_cdi')],
        'may end on 28/12/2036 at the latest'),
    (T + 'TestProlongationModel.test_clean_too_long_reason_duration_error'
        '[COMPLETE_TRAINING]: 365 + 1 days',
        D(2025, 6, 15), 'ai', D(2025, 1, 1),
        [('prolong', E, e(366), 'training')],
        'may end on 31/12/2027 at the latest'),
    (T + 'TestProlongationModel.test_clean_too_long_reason_duration_error'
        '[RQTH]: 1095 + 1 days',
        D(2025, 6, 15), 'ai', D(2025, 1, 1),
        [('prolong', E, e(1096), 'rqth')], 'too long'),
    (T + 'TestProlongationModel.test_clean_too_long_reason_duration_error'
        '[SENIOR]: 1825 + 1 days',
        D(2025, 6, 15), 'ai', D(2025, 1, 1),
        [('prolong', E, e(1826), 'senior')], 'too long'),
    (T + 'TestProlongationModel.test_clean_too_long_reason_duration_error'
        '[PARTICULAR_DIFFICULTIES]: 1095 + 1 days',
        D(2025, 6, 15), 'ai', D(2025, 1, 1),
        [('prolong', E, e(1096), 'difficulties')], 'too long'),
    (T + 'TestProlongationModel.test_clean_too_long_reason_duration_error'
        '[HEALTH_CONTEXT]: 365 + 1 days',
        D(2025, 6, 15), 'ai', D(2025, 1, 1),
        [('prolong', E, e(366), 'health_context')],
        'may end on 31/12/2027 at the latest'),
    (T + 'TestProlongationModel.test_clean_end_at_do_not_block_edition: '
        '50+, 30 days then up to 1825 in all (in requests of 365 days at '
        'most, as its form asks: forms.py ProlongationForm max_duration), '
        'the last shortened by 30 days, a third up to 1825 again',
        D(2025, 6, 15), 'aci', D(2025, 1, 1),
        [('prolong', E, e(30), 'senior'),
            ('prolong', e(30), e(395), 'senior'),
            ('prolong', e(395), e(760), 'senior'),
            ('prolong', e(760), e(1125), 'senior'),
            ('prolong', e(1125), e(1490), 'senior'),
            ('prolong', e(1490), e(1825), 'senior'),
            ('edit_prolongation', 5, e(1795)),
            ('prolong', e(1795), e(1825), 'senior')], D(2031, 12, 30)),
    (T + 'TestProlongationModel.test_clean_end_at_do_not_block_edition: '
        'the total used up, one day more refused',
        D(2025, 6, 15), 'aci', D(2025, 1, 1),
        [('prolong', E, e(30), 'senior'),
            ('prolong', e(30), e(395), 'senior'),
            ('prolong', e(395), e(760), 'senior'),
            ('prolong', e(760), e(1125), 'senior'),
            ('prolong', e(1125), e(1490), 'senior'),
            ('prolong', e(1490), e(1825), 'senior'),
            ('prolong', e(1825), e(1826), 'senior')],
        'may end on 30/12/2031 at the latest'),
    # test_get_max_end_at: start 2021-02-01 (a PASS from 2019-02-03)
    (T + 'TestProlongationModel.test_get_max_end_at[SENIOR_CDI]: 3650 days',
        D(2021, 1, 15), 'aci', D(2019, 2, 3),
        [('max_end', 'senior_cdi')], D(2031, 1, 30)),
    (T + 'TestProlongationModel.test_get_max_end_at[COMPLETE_TRAINING]: '
        '365 days',
        D(2021, 1, 15), 'aci', D(2019, 2, 3),
        [('max_end', 'training')], D(2022, 2, 1)),
    (T + 'TestProlongationModel.test_get_max_end_at[RQTH]: 1095 days',
        D(2021, 1, 15), 'aci', D(2019, 2, 3),
        [('max_total', 'rqth')], D(2024, 2, 1)),
    (T + 'TestProlongationModel.test_get_max_end_at[SENIOR]: 1825 days',
        D(2021, 1, 15), 'aci', D(2019, 2, 3),
        [('max_total', 'senior')], D(2026, 1, 31)),
    (T + 'TestProlongationModel.test_get_max_end_at[PARTICULAR_'
        'DIFFICULTIES]: 1095 days',
        D(2021, 1, 15), 'aci', D(2019, 2, 3),
        [('max_total', 'difficulties')], D(2024, 2, 1)),
    (T + 'TestProlongationModel.test_get_max_end_at[HEALTH_CONTEXT]: '
        '365 days',
        D(2021, 1, 15), 'aci', D(2019, 2, 3),
        [('max_end', 'health_context')], D(2022, 2, 1)),
    (T + 'TestProlongationModel.test_year_after_year_prolongation: '
        'difficulties, 3 x 365 days from the end 2023-08-21 (from the end, '
        'as clean() requires; the test starts them the day after)',
        D(2023, 8, 21), 'aci', D(2021, 8, 22),
        [('prolong', D(2023, 8, 21), D(2024, 8, 20), 'difficulties'),
            ('prolong', D(2024, 8, 20), D(2025, 8, 20), 'difficulties'),
            ('prolong', D(2025, 8, 20), D(2026, 8, 20), 'difficulties')],
        D(2026, 8, 20)),
    (T + 'TestProlongationModel.test_year_after_year_prolongation: three '
        'years used up, not one day more',
        D(2023, 8, 21), 'aci', D(2021, 8, 22),
        [('prolong', D(2023, 8, 21), D(2024, 8, 20), 'difficulties'),
            ('prolong', D(2024, 8, 20), D(2025, 8, 20), 'difficulties'),
            ('prolong', D(2025, 8, 20), D(2026, 8, 20), 'difficulties'),
            ('prolong', D(2026, 8, 20), D(2026, 8, 21), 'difficulties')],
        'may end on 20/08/2026 at the latest'),
    (T + 'TestProlongationModel.test_time_boundaries: approval '
        '2019-03-02 -> 2021-03-01 (ours from 2019-03-03: 730 days), '
        'prolongations to 2021-03-31 then 2021-04-30',
        D(2021, 2, 15), 'aci', D(2019, 3, 3),
        [('prolong', D(2021, 3, 1), D(2021, 3, 31)),
            ('prolong', D(2021, 3, 31), D(2021, 4, 30))], D(2021, 4, 30)),
    (V + 'test_prolongation.py::TestApprovalProlongation.test_end_at_'
        'with_existing_prolongation: RQTH, 912 days used (the test in one '
        'prolongation its form would refuse; here 365 + 365 + 182), 3 x '
        '365 + 1 refused',
        D(2025, 6, 15), 'aci', D(2025, 1, 1),
        [('prolong', E, e(365), 'rqth'),
            ('prolong', e(365), e(730), 'rqth'),
            ('prolong', e(730), e(912), 'rqth'),
            ('prolong', e(912), e(1096), 'rqth')],
        'may end on 30/12/2029 at the latest'),
    (V + 'test_prolongation.py::TestApprovalProlongation.test_end_at_'
        'with_existing_prolongation: the 183 days left, to 3 x 365',
        D(2025, 6, 15), 'aci', D(2025, 1, 1),
        [('prolong', E, e(365), 'rqth'),
            ('prolong', e(365), e(730), 'rqth'),
            ('prolong', e(730), e(912), 'rqth'),
            ('prolong', e(912), e(1095), 'rqth')], D(2029, 12, 30)),
    (V + 'test_prolongation.py::TestApprovalProlongation.test_prolongation_'
        'approval_view_with_disabled_values: 3 x 365 + 10 days of training '
        '(in requests of 365 days at most), RQTH disabled (the total counts '
        'every reason)',
        D(2025, 6, 15), 'aci', D(2025, 1, 1),
        [('prolong', E, e(365)), ('prolong', e(365), e(730)),
            ('prolong', e(730), e(1095)), ('prolong', e(1095), e(1105)),
            ('prolong', e(1105), e(1106), 'rqth')], 'too long'),
    (V + 'test_prolongation.py::TestApprovalProlongation.test_prolongation_'
        'approval_view_with_disabled_values: SENIOR still offered',
        D(2025, 6, 15), 'aci', D(2025, 1, 1),
        [('prolong', E, e(365)), ('prolong', e(365), e(730)),
            ('prolong', e(730), e(1095)), ('prolong', e(1095), e(1105)),
            ('prolong', e(1105), e(1106), 'senior')], D(2030, 1, 10)),
    (V + 'test_prolongation.py::TestApprovalProlongation.test_prolongation_'
        'approval_view_with_disabled_values: 2 x 365 days more (the test '
        'adds RQTH through its factory, its form refuses it then; here '
        'training), SENIOR disabled too',
        D(2025, 6, 15), 'aci', D(2025, 1, 1),
        [('prolong', E, e(365)), ('prolong', e(365), e(730)),
            ('prolong', e(730), e(1095)), ('prolong', e(1095), e(1105)),
            ('prolong', e(1105), e(1470)), ('prolong', e(1470), e(1835)),
            ('prolong', e(1835), e(1836), 'senior')], 'too long'),
    ] + [
    (V + 'test_prolongation.py::TestApprovalProlongation.test_end_at_'
        'limits[%s]: %s days, accepted' % (reason, days),
        D(2025, 6, 15), 'ai', D(2025, 1, 1),
        [('prolong', E, e(days), reason)], end)
    for reason, days, end in [
        ('senior_cdi', 3650, D(2036, 12, 28)),
        ('training', 365, D(2027, 12, 31)),
        ('rqth', 365, D(2027, 12, 31)),
        ('senior', 365, D(2027, 12, 31)),
        ('difficulties', 365, D(2027, 12, 31)),
        ]
    ] + [
    (T + 'TestProlongationModel.test_clean_limit_particular_difficulties_'
        'to_some_siaes_error[%s]: the factory\'s 30 days' % kind.upper(),
        D(2025, 6, 15), kind, D(2025, 1, 1),
        [('prolong', E, e(30), 'difficulties')],
        D(2027, 1, 30) if kind in {'ai', 'aci'}
        else 'only for the structures ACI, AI')
    for kind in ['aci', 'ai', 'ei', 'etti', 'eiti']]

SIRETS = {
    'aci': '41234502700012',
    'ai': '41234502700020',
    'ei': '41234502700038',
    'etti': '41234502700046',
    'eiti': '41234502700053',
    }


class LesEmploisTestCase(unittest.TestCase):
    "The cases of les-emplois' tests on PASS IAE end dates"

    # The helpers of the insertion tests, not copied
    structure = InsertionTestMixin.structure
    person = InsertionTestMixin.person
    contract = InsertionTestMixin.contract
    refused = InsertionTestMixin.refused

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        activate_module('insertion')

    def run_steps(self, pass_, steps):
        "Run the steps; return the value the last one gives"
        pool = Pool()
        Pass = pool.get('insertion.pass')
        Suspension = pool.get('insertion.pass.suspension')
        Prolongation = pool.get('insertion.pass.prolongation')
        employee = self.employee
        for step in steps:
            kind, *args = step
            if kind == 'hire':
                self.contract(employee, *args)
            elif kind in {'suspend', 'prolong'}:
                Model = Suspension if kind == 'suspend' else Prolongation
                start, end, *reason = args
                reason = reason[0] if reason else (
                    'contract_suspended' if kind == 'suspend'
                    else 'training')
                Model(pass_=pass_, start_date=start, end_date=end,
                    reason=reason).save()
            elif kind == 'suspend_history':
                start, end, reason = args
                suspension = Suspension(pass_=pass_, start_date=start,
                    end_date=end, reason='contract_suspended')
                suspension.save()
                table = Suspension.__table__()
                cursor = Transaction().connection.cursor()
                cursor.execute(*table.update([table.reason], [reason],
                        where=table.id == suspension.id))
            elif kind == 'status':
                return Pass(pass_.id).status_at(args[0])
            elif kind.startswith('edit_') or kind.startswith('delete_'):
                pass_ = Pass(pass_.id)
                records = (pass_.suspensions if kind.endswith('suspension')
                    else pass_.prolongations)
                record = records[args[0]]
                if kind.startswith('edit_'):
                    record.end_date = args[1]
                    record.save()
                else:
                    record.delete([record])
            elif kind == 'max_end':
                pass_ = Pass(pass_.id)
                return Prolongation(pass_=pass_, reason=args[0],
                    start_date=pass_.end_date).maximum_end()
            elif kind == 'max_total':
                while True:
                    pass_ = Pass(pass_.id)
                    start = pass_.end_date
                    end = Prolongation(pass_=pass_, reason=args[0],
                        start_date=start).maximum_end()
                    if end <= start:
                        break
                    Prolongation(pass_=pass_, reason=args[0],
                        start_date=start, end_date=end).save()
            else:
                raise ValueError(step)
        return Pass(pass_.id).end_date

    @with_transaction()
    def test_cases(self):
        "Each case of les-emplois: the same end date or the same refusal"
        companies = {k: self.structure(k.upper(), kind=k, siret=s)
            for k, s in SIRETS.items()}
        Date = Pool().get('ir.date')
        for i, (source, today, kind, pass_start, steps, expect) in (
                enumerate(CASES)):
            with self.subTest(source=source), set_company(companies[kind]), \
                    patch.object(Date, 'today', return_value=today):
                self.employee, pass_ = self.person(
                    companies[kind], "Case %s" % i, pass_start)
                if isinstance(expect, str) and steps[-1][0] != 'status':
                    self.run_steps(pass_, steps[:-1])
                    with self.refused(UserError, expect):
                        self.run_steps(pass_, steps[-1:])
                else:
                    self.assertEqual(self.run_steps(pass_, steps), expect)

    def test_cases_sources(self):
        "Each case names its les-emplois test or rule, once"
        sources = [c[0] for c in CASES]
        self.assertEqual(len(sources), len(set(sources)))
        for source in sources:
            self.assertRegex(source, re.compile(
                    r'^(tests/[\w/]+\.py|itou/approvals/models\.py)::\w'))
