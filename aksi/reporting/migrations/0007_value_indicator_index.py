"""The values' own index on `indicator_id` goes: the unique key (indicator, region, period)
starts with that column and serves the same lookups, and every written value paid for both.

Only the index is dropped (found by introspection); the foreign key stays as it is, so a large
table is not checked again."""

import django.db.models.deletion
from django.db import migrations, models


def _indicator_indexes(schema_editor, model):
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, model._meta.db_table)
    return [
        name
        for name, info in constraints.items()
        if info["index"] and not info["unique"] and info["columns"] == ["indicator_id"]
    ]


def drop_index(apps, schema_editor):
    model = apps.get_model("reporting", "CoverageValue")
    for name in _indicator_indexes(schema_editor, model):
        schema_editor.execute(schema_editor._delete_index_sql(model, name))


def create_index(apps, schema_editor):
    model = apps.get_model("reporting", "CoverageValue")
    if not _indicator_indexes(schema_editor, model):
        field = model._meta.get_field("indicator")
        schema_editor.execute(schema_editor._create_index_sql(model, fields=[field]))


class Migration(migrations.Migration):
    dependencies = [
        ("catalogue", "0002_supporting_items"),
        ("reporting", "0006_supporting_values"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="coveragevalue",
                    name="indicator",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="values",
                        to="catalogue.indicator",
                    ),
                ),
            ],
            database_operations=[migrations.RunPython(drop_index, create_index)],
        ),
    ]
