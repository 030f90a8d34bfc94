{#-
    Makes every declared source table exist where the sources yml says it is, with the
    columns, types and nesting of the BigQuery original. Run before `dbt build` on DuckDB
    and on the emulator (the Makefile does):

        dbt run-operation prepare_raw_sources [--vars '{raw_data_dir: /path/to/export}']

    * DuckDB, var raw_data_dir set: a view per source table over
      {raw_data_dir}/{dataset}/{table}/*.parquet (the layout of a BigQuery EXPORT DATA),
      after checking that the files exist and hold every declared column.
    * DuckDB without raw_data_dir, and the BigQuery emulator: a table per source table
      built from the bundled sample seeds (seeds/sample/<dataset>__<table>.csv), nested
      back into STRUCTs from the `a__b__c` column names and cast to the declared types.

    The column list of each source table in its `_<source>__sources.yml` is the contract.
    Production BigQuery is refused: its sources are Mozilla's own tables.
-#}
{% macro prepare_raw_sources() %}
    {%- if not execute -%}{{ return('') }}{%- endif -%}
    {%- set raw_data_dir = var('raw_data_dir', '') | string | trim -%}

    {%- if target.type == 'bigquery' and target.name != 'emulator' -%}
        {{ exceptions.raise_compiler_error(
            "prepare_raw_sources writes source tables and only runs on DuckDB or the emulator "
            ~ "target; target '" ~ target.name ~ "' reads Mozilla's real tables in project '"
            ~ var('source_project') ~ "'.") }}
    {%- endif -%}
    {%- if raw_data_dir and target.type != 'duckdb' -%}
        {{ exceptions.raise_compiler_error(
            "var raw_data_dir is read by the DuckDB target only (target '" ~ target.name ~ "' is "
            ~ target.type ~ ").") }}
    {%- endif -%}

    {%- set created_schemas = [] -%}
    {%- for source_node in graph.sources.values() | sort(attribute='unique_id')
            if source_node.package_name == project_name -%}
        {%- set schema_key = source_node.database ~ '.' ~ source_node.schema -%}
        {%- if schema_key not in created_schemas -%}
            {%- do adapter.create_schema(api.Relation.create(database=source_node.database, schema=source_node.schema)) -%}
            {%- do created_schemas.append(schema_key) -%}
        {%- endif -%}

        {%- set relation = api.Relation.create(
                database=source_node.database, schema=source_node.schema,
                identifier=source_node.identifier, type='table') -%}
        {%- set existing = adapter.get_relation(
                database=source_node.database, schema=source_node.schema,
                identifier=source_node.identifier) -%}

        {%- if raw_data_dir -%}
            {%- set sql = raw_parquet_view_sql(source_node, relation, raw_data_dir) -%}
        {%- else -%}
            {%- set sql = raw_sample_table_sql(source_node, relation) -%}
        {%- endif -%}

        {%- if existing is not none -%}
            {%- do adapter.drop_relation(existing) -%}
        {%- endif -%}
        {%- do run_query(sql) -%}
        {%- set counted = run_query('select count(*) as row_count from ' ~ relation) -%}
        {%- do log('raw source ' ~ source_node.source_name ~ '.' ~ source_node.name ~ ': '
                   ~ counted.columns[0].values()[0] ~ ' rows ('
                   ~ ('parquet' if raw_data_dir else 'sample') ~ ')', info=true) -%}
    {%- endfor -%}
    {#- run-operation does not commit on its own. -#}
    {%- do adapter.commit() -%}
{% endmacro %}


{#- The declared columns of a source node, in order: list of (name, data_type). -#}
{% macro raw_declared_columns(source_node) %}
    {%- set columns = [] -%}
    {%- for column in source_node.columns.values() -%}
        {%- if not column.data_type -%}
            {{ exceptions.raise_compiler_error(
                "source " ~ source_node.source_name ~ "." ~ source_node.name ~ ": column '"
                ~ column.name ~ "' has no data_type in its sources yml") }}
        {%- endif -%}
        {%- do columns.append((column.name, column.data_type)) -%}
    {%- endfor -%}
    {{ return(columns) }}
{% endmacro %}


{#- CREATE TABLE ... AS SELECT that nests a flattened, all-text sample seed. -#}
{% macro raw_sample_table_sql(source_node, relation) %}
    {%- set seed_name = source_node.source_name ~ '__' ~ source_node.name -%}
    {%- set seeds = graph.nodes.values() | selectattr('resource_type', 'equalto', 'seed')
                    | selectattr('name', 'equalto', seed_name) | list -%}
    {%- if seeds | length != 1 -%}
        {{ exceptions.raise_compiler_error(
            "no sample seed '" ~ seed_name ~ "' for source " ~ source_node.source_name ~ "."
            ~ source_node.name ~ ": regenerate seeds/sample with scripts/generate_sample_data.py") }}
    {%- endif -%}
    {%- set seed_relation = api.Relation.create(
            database=seeds[0].database, schema=seeds[0].schema, identifier=seeds[0].alias) -%}

    {#- Build the STRUCT tree from the dotted column names, keeping declared order. -#}
    {%- set tree = {} -%}
    {%- for name, data_type in raw_declared_columns(source_node) -%}
        {%- set parts = name.split('.') -%}
        {%- set ns = namespace(node=tree) -%}
        {%- for part in parts[:-1] -%}
            {%- if part not in ns.node -%}{%- do ns.node.update({part: {}}) -%}{%- endif -%}
            {%- set ns.node = ns.node[part] -%}
        {%- endfor -%}
        {%- do ns.node.update({parts[-1]: {'__column__': name | replace('.', '__'), '__type__': data_type}}) -%}
    {%- endfor -%}

    {%- set select_list = [] -%}
    {%- for name, node in tree.items() -%}
        {%- do select_list.append(raw_sample_expression(node) ~ ' as ' ~ adapter.quote(name)) -%}
    {%- endfor -%}
    {{ return('create table ' ~ relation ~ ' as select\n    ' ~ select_list | join(',\n    ')
              ~ '\nfrom ' ~ seed_relation) }}
{% endmacro %}


{#- Expression of one node of the STRUCT tree: a cast leaf or a nested STRUCT. -#}
{% macro raw_sample_expression(node) %}
    {%- if '__column__' in node -%}
        {%- set column = adapter.quote(node['__column__']) -%}
        {%- if node['__type__'] | lower == 'string' -%}
            {#- Seeds cannot hold '' (an empty cell is NULL): the cell '' stands for it. -#}
            {%- set marker = "'" ~ dbt.escape_single_quotes("''") ~ "'" -%}
            {{ return("case when " ~ column ~ " = " ~ marker ~ " then '' else " ~ column ~ " end") }}
        {%- else -%}
            {{ return(cast_text_to_raw_type(column, node['__type__'])) }}
        {%- endif -%}
    {%- else -%}
        {%- set fields = [] -%}
        {%- for name, child in node.items() -%}
            {%- do fields.append((name, raw_sample_expression(child))) -%}
        {%- endfor -%}
        {{ return(struct_pack(fields)) }}
    {%- endif -%}
{% endmacro %}


{#- CREATE VIEW over a Parquet export, after checking files and declared columns exist. -#}
{% macro raw_parquet_view_sql(source_node, relation, raw_data_dir) %}
    {%- set table_label = source_node.source_name ~ '.' ~ source_node.name -%}
    {%- set path = raw_data_dir.rstrip('/') ~ '/' ~ source_node.schema ~ '/' ~ source_node.identifier ~ '/*.parquet' -%}
    {%- set quoted_path = "'" ~ path | replace("'", "''") ~ "'" -%}

    {%- set found = run_query('select count(*) from glob(' ~ quoted_path ~ ')').columns[0].values()[0] -%}
    {%- if found == 0 -%}
        {{ exceptions.raise_compiler_error(
            "raw_data_dir: no Parquet files for source " ~ table_label ~ " at " ~ path
            ~ " (expected the layout {raw_data_dir}/{dataset}/{table}/*.parquet)") }}
    {%- endif -%}

    {%- set reader = 'read_parquet(' ~ quoted_path ~ ', union_by_name = true)' -%}
    {%- set described = run_query('describe select * from ' ~ reader) -%}
    {%- set present = {} -%}
    {%- for row in described.rows -%}
        {%- do present.update({row[0] | lower: row[1] | lower}) -%}
    {%- endfor -%}

    {%- set missing = [] -%}
    {%- for name, data_type in raw_declared_columns(source_node) -%}
        {%- set parts = name.lower().split('.') -%}
        {%- if parts[0] not in present -%}
            {%- do missing.append(name) -%}
        {%- else -%}
            {%- for part in parts[1:] -%}
                {%- set field_type = present[parts[0]] -%}
                {%- set spellings = ['(' ~ part ~ ' ', ', ' ~ part ~ ' ', '("' ~ part ~ '" ', ', "' ~ part ~ '" '] -%}
                {%- if spellings | select('in', field_type) | list | length == 0 -%}
                    {%- do missing.append(name) -%}
                {%- endif -%}
            {%- endfor -%}
        {%- endif -%}
    {%- endfor -%}
    {%- if missing -%}
        {{ exceptions.raise_compiler_error(
            "raw_data_dir: source " ~ table_label ~ " at " ~ path ~ " is missing required column(s): "
            ~ missing | unique | join(', ') ~ " (declared in its _<source>__sources.yml)") }}
    {%- endif -%}

    {{ return('create view ' ~ relation ~ ' as select * from ' ~ reader) }}
{% endmacro %}
