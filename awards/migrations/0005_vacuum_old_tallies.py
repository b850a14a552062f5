"""Drop the row versions the ballots counted in clear left in the tally table (PostgreSQL).

Before 0004 each ballot added to the counts with UPDATEs: PostgreSQL kept every earlier
version of each count in the table's pages (each version stamped with its transaction) until
vacuum, and even then the bytes may stay in the pages' free space. VACUUM FULL writes the
live rows into new files and drops the old ones, so the current database no longer holds
them. Copies made before (backups, replicas' history, archived WAL) still do: README says so.
"""

from django.db import migrations


def rewrite_tallies(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return  # SQLite: no row versions; its free pages are not reachable by a query
    VoteTally = apps.get_model("awards", "VoteTally")
    table = schema_editor.quote_name(VoteTally._meta.db_table)
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(f"VACUUM FULL {table}")


class Migration(migrations.Migration):
    # VACUUM cannot run inside a transaction.
    atomic = False

    dependencies = [("awards", "0004_sealed_ballot")]

    operations = [migrations.RunPython(rewrite_tallies, migrations.RunPython.noop, atomic=False)]
