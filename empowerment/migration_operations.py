"""Migration operations shared by the apps' migrations."""

from django.db import migrations


class OnPostgreSQLOnlyDatabaseOperations(migrations.SeparateDatabaseAndState):
    """The state operations, made on PostgreSQL by `database_operations` (e.g. dropping or replacing an index
    without dropping, re-adding and re-validating a foreign key over every row, which Django's own
    AlterField does when a foreign key's index changes), and on other databases as Django makes them."""

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            return super().database_forwards(app_label, schema_editor, from_state, to_state)
        return migrations.SeparateDatabaseAndState(self.state_operations).database_forwards(
            app_label, schema_editor, from_state, to_state
        )

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            return super().database_backwards(app_label, schema_editor, from_state, to_state)
        return migrations.SeparateDatabaseAndState(self.state_operations).database_backwards(
            app_label, schema_editor, from_state, to_state
        )


def replaced_operations(app_label: str, name: str, *kinds: type) -> list:
    """The operations of a migration that a squashed migration replaces, kept where they are written (the
    database's own objects: triggers, functions, indexes in SQL, seeded rows), optionally only those of the
    given kinds. A squashed migration lists them after its models so a new database gets exactly what the
    replaced chain made."""
    from importlib import import_module

    operations = import_module(f"{app_label}.migrations.{name}").Migration.operations
    return [op for op in operations if not kinds or isinstance(op, kinds)]
