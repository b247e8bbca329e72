"""The database refusing a write midway through a ledger import: nothing of
that import is left behind (a real trigger makes the database refuse)."""

import io

import pytest
from django.db import DatabaseError, connection

from portal.backup import row_counts
from portal.ledger import importer
from portal.ledger.exporter import ledger_export
from portal.ledger.importer import ledger_import
from portal.models import Committee
from publicity.models import Article
from tests import factories as f
from tests.ledger.helpers import populate
from tests.conftest import postgresql_only

pytestmark = pytest.mark.django_db(transaction=True)

TABLE = Article._meta.db_table


def refuse_inserts():
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "CREATE FUNCTION sec_refuse_insert() RETURNS trigger AS $$ "
                "BEGIN RAISE EXCEPTION 'insert refused by the test'; END; $$ LANGUAGE plpgsql"
            )
            cursor.execute(
                f"CREATE TRIGGER sec_refuse BEFORE INSERT ON {TABLE} FOR EACH ROW EXECUTE FUNCTION sec_refuse_insert()"
            )
        else:
            cursor.execute(
                f"CREATE TRIGGER sec_refuse BEFORE INSERT ON {TABLE} "
                "BEGIN SELECT RAISE(ABORT, 'insert refused by the test'); END"
            )


def allow_inserts():
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"DROP TRIGGER IF EXISTS sec_refuse ON {TABLE}")
            cursor.execute("DROP FUNCTION IF EXISTS sec_refuse_insert()")
        else:
            cursor.execute("DROP TRIGGER IF EXISTS sec_refuse")


def test_refused_write_leaves_nothing_of_the_import(monkeypatch):
    # Python's sqlite3 drops a trigger's RAISE during INSERT ... RETURNING (the row is
    # not written, no error is raised), so the refusal cannot be staged on SQLite.
    postgresql_only("a trigger refusing a bulk insert")
    source = f.CommitteeFactory(slug="src", name="源局党委")
    populate(source)
    workbook = ledger_export(committee=source, year=2020, include_summaries=True)
    before = row_counts()

    written = []
    original_create = importer.Writer.create

    def spy(self, model, objs):
        written.append(model.__name__)
        return original_create(self, model, objs)

    monkeypatch.setattr(importer.Writer, "create", spy)
    refuse_inserts()
    try:
        with pytest.raises(DatabaseError, match="insert refused by the test"):
            ledger_import(committee_slug="copy", file=io.BytesIO(workbook), dry_run=False)
    finally:
        allow_inserts()

    # The refusal came midway: other sheets had been written before it.
    assert "Branch" in written and "Person" in written and written[-1] == "Article"
    assert written.index("Article") >= 3, written
    assert not Committee.objects.filter(slug="copy").exists()
    assert row_counts() == before
    # With the database writable again the same workbook imports completely.
    result = ledger_import(committee_slug="copy", file=io.BytesIO(workbook), dry_run=False)
    assert result.ok and Article.objects.filter(committee__slug="copy").count() == Article.objects.filter(committee=source).count()
