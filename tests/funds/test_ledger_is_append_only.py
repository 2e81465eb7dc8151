"""The database itself keeps the ledger: no UPDATE or DELETE, balanced entries, no negative balance."""

from decimal import Decimal

import pytest
from django.db import DatabaseError, IntegrityError, connection, transaction

from funds import services
from funds.models import Account, Entry, Line

pytestmark = pytest.mark.django_db


def _raw(sql, params=()):
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)


def test_raw_sql_update_of_a_ledger_line_is_refused(funded_project):
    line = Line.objects.filter(account=funded_project).first()
    with pytest.raises(DatabaseError, match="Cannot update or delete rows"):
        _raw("UPDATE funds_line SET debit = debit + 1 WHERE id = %s", [line.pk])
    line.refresh_from_db()
    assert line.debit == Decimal("300000.00")


def test_raw_sql_delete_of_a_ledger_line_is_refused(funded_project):
    line = Line.objects.filter(account=funded_project).first()
    with pytest.raises(DatabaseError, match="Cannot update or delete rows"):
        _raw("DELETE FROM funds_line WHERE id = %s", [line.pk])
    assert Line.objects.filter(pk=line.pk).exists()


def test_raw_sql_update_and_delete_of_an_entry_are_refused(funded_project):
    entry = Entry.objects.get(lines__account=funded_project)
    with pytest.raises(DatabaseError, match="Cannot update or delete rows"):
        _raw("UPDATE funds_entry SET amount = 1 WHERE id = %s", [entry.pk])
    with pytest.raises(DatabaseError, match="Cannot update or delete rows"):
        _raw("DELETE FROM funds_entry WHERE id = %s", [entry.pk])
    with pytest.raises(DatabaseError, match="Cannot update or delete rows"), transaction.atomic():
        Entry.objects.filter(pk=entry.pk).update(memo="edited")  # the ORM is no way around it either
    entry.refresh_from_db()
    assert entry.amount == Decimal("300000.00")


def test_a_balance_cannot_be_edited_directly(funded_project):
    with pytest.raises(IntegrityError, match="only through ledger lines"):
        _raw("UPDATE funds_account SET balance = 999999 WHERE id = %s", [funded_project.pk])
    funded_project.refresh_from_db()
    assert funded_project.balance == Decimal("300000.00")


def test_raw_line_that_would_make_a_balance_negative_is_refused(funded_project, fund, finance):
    pool = services.pool_account(fund)
    with pytest.raises(IntegrityError, match="account_balance_not_negative"):
        _raw(
            "WITH e AS (INSERT INTO funds_entry (fund_id, kind, amount, booked_on, memo, created_by_id, created_at) "
            "VALUES (%s, 'allocation', 300000.01, CURRENT_DATE, '', %s, now()) RETURNING id) "
            "INSERT INTO funds_line (entry_id, account_id, debit, credit) "
            "SELECT id, %s, 0, 300000.01 FROM e UNION ALL SELECT id, %s, 300000.01, 0 FROM e",
            [fund.pk, finance.pk, funded_project.pk, pool.pk],
        )
    assert Account.objects.get(pk=funded_project.pk).balance == Decimal("300000.00")


def _insert_unbalanced_entry(fund, user, account):
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO funds_entry (fund_id, kind, amount, booked_on, memo, created_by_id, created_at) "
            "VALUES (%s, 'allocation', 10, CURRENT_DATE, '', %s, now()) RETURNING id",
            [fund.pk, user.pk],
        )
        entry_id = cursor.fetchone()[0]
        cursor.execute(
            "INSERT INTO funds_line (entry_id, account_id, debit, credit) VALUES (%s, %s, 10, 0)",
            [entry_id, account.pk],
        )
        # The check is deferred to COMMIT; the test transaction never commits, so ask for it now.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")


def test_unbalanced_entry_is_refused_at_commit(funded_project, fund, finance):
    with pytest.raises(IntegrityError, match="debits, credits and amount differ"), transaction.atomic():
        _insert_unbalanced_entry(fund, finance, funded_project)


def test_a_line_has_exactly_one_positive_side(funded_project, fund):
    entry = Entry.objects.get(lines__account=funded_project)
    with pytest.raises(IntegrityError, match="line_one_side_positive"), transaction.atomic():
        Line.objects.create(entry=entry, account=funded_project, debit=Decimal("1"), credit=Decimal("1"))
