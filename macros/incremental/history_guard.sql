{#-
    History beyond retention. Glean drops events_stream partitions after 775 days (sources yml
    `partition_expiration_days`), and the replicas keep no history at all, so past that
    horizon the project's incremental tables are the system of record: a --full-refresh
    would rebuild them from what the raw tables still hold and silently, permanently drop
    the rest. On BigQuery (the production target and the emulator) this pre-hook of every
    model refuses that for an incremental model whose table exists, saying what would be
    lost, unless var('allow_history_rebuild') is true. DuckDB rebuilds freely (local data).
-#}
{% macro refuse_history_rebuild() %}
    {%- if not execute or target.type != 'bigquery' or config.get('materialized') != 'incremental' -%}
        {{ return('') }}
    {%- endif -%}
    {%- if not should_full_refresh() or var('allow_history_rebuild', false) -%}
        {{ return('') }}
    {%- endif -%}
    {%- set existing = adapter.get_relation(database=this.database, schema=this.schema, identifier=this.identifier) -%}
    {%- if existing is none -%}
        {{ return('') }}
    {%- endif -%}
    {%- set column = (config.get('meta') or {}).get('window_column') or 'snapshot_date' -%}
    {%- set held = run_query('select min(' ~ column ~ ') as first_day, max(' ~ column ~ ') as last_day, count(*) as row_count from ' ~ this) -%}
    {%- set first_day, last_day, row_count = held.rows[0][0], held.rows[0][1], held.rows[0][2] -%}
    {%- if column == 'snapshot_date' -%}
        {%- set lost = "the accounts-database replicas keep no history, so every snapshot it holds ("
                       ~ first_day ~ " to " ~ last_day ~ ", " ~ row_count ~ " rows) would be lost" -%}
    {%- else -%}
        {%- set horizon = run_started_at.astimezone(modules.pytz.utc).date()
                          - modules.datetime.timedelta(days=raw_retention_days()) -%}
        {%- if first_day is not none and first_day | string < horizon | string -%}
            {%- set lost = "its " ~ column ~ " runs from " ~ first_day ~ "; raw Glean partitions before "
                           ~ horizon ~ " have expired (" ~ raw_retention_days() ~ "-day retention), so every day from "
                           ~ first_day ~ " to the day before " ~ horizon ~ " would be permanently lost" -%}
        {%- else -%}
            {%- set lost = "its " ~ column ~ " runs from " ~ first_day ~ " to " ~ last_day
                           ~ ", all still within the raw tables' retention today, but a rebuild is "
                           ~ "refused all the same, before anything can be lost" -%}
        {%- endif -%}
    {%- endif -%}
    {{ exceptions.raise_compiler_error(
        "Refusing --full-refresh of " ~ this ~ " (" ~ row_count ~ " rows) on the " ~ target.name
        ~ " target: " ~ lost ~ ". The incremental tables are the system of record past the raw "
        ~ "retention horizon. To rebuild anyway, run again with --vars '{allow_history_rebuild: true}'.") }}
{% endmacro %}


{#- The shortest partition expiration of the project's raw sources, in days. -#}
{% macro raw_retention_days() %}
    {%- set days = [] -%}
    {%- for node in graph.sources.values() if node.package_name == project_name -%}
        {%- set meta = node.config.meta or node.meta or {} -%}
        {%- if meta.get('partition_expiration_days') -%}
            {%- do days.append(meta.partition_expiration_days | int) -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return(days | min if days else 775) }}
{% endmacro %}
