"""Exports: every way the records leave the library, one module per concern.

Nothing is imported here, so that each public function loads only its own module (the
package's ``_PUBLIC`` table names the module of each). The modules, in the order data flows
through them:

* `introspect`: what the model's fields hold (types, references, patterns, docstrings), read
  from the attrs classes, so that a field added to a record reaches every export unchanged;
* `tables`: the relational layout derived from it and the records as columns of cells
  ([`to_tables`][sinotajik.to_tables]); every table export below starts here;
* `folder`: atomic writes of a folder of files (CSV, Parquet, Data Package);
* `csvfiles`: [`write_csv`][sinotajik.write_csv] and [`read_csv`][sinotajik.read_csv];
* `datapackage`: [`write_datapackage`][sinotajik.write_datapackage];
* `frames`: [`to_pandas`][sinotajik.to_pandas];
* `arrow`: [`to_arrow`][sinotajik.to_arrow] and [`write_parquet`][sinotajik.write_parquet];
* `sqlite`: [`write_sqlite`][sinotajik.write_sqlite] and Datasette metadata;
* `geojson`: [`to_geojson`][sinotajik.to_geojson], the map;
* `schema`: [`json_schema`][sinotajik.json_schema];
* `records`: canonical JSON / JSON Lines of any records, and a selection closed over what it
  refers to (the CLI's ``export --format json``);
* `network`: the actor network (GraphML, networkx);
* `panel`: analysis tables (claims, counts per period).

Names other parts of the package use (the CLI) are plain, without a leading underscore.
"""
