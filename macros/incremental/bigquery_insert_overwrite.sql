{#-
    BigQuery insert_overwrite, always with static partitions: the dates of the run's event
    window (macros/incremental/event_window.sql), whether they came from vars or from the
    latest date already built; for a snapshot table (partitioned on snapshot_date), the
    run's snapshot date. dbt-bigquery would otherwise fall back to dynamic
    partitions, which need BigQuery scripting (DECLARE) and a scan of the new data.

    The statement is a single MERGE. dbt-bigquery appends `drop table` of its temp table to
    it; the incremental materialization already drops that temp table after the run, so
    the second statement is left out (one statement per job also keeps the local
    emulator, which runs no multi-statement scripts, on the production code path).

    Overrides dbt-bigquery's private macro of the same name and signature
    (dbt/include/bigquery/macros/materializations/incremental_strategy/insert_overwrite.sql,
    checked against dbt-bigquery 1.12.1, the version requirements.txt installs): a private
    macro can change between adapter versions, so an upgrade of dbt-bigquery re-checks this
    signature (the emulator build of `make test` runs it on every incremental model). It
    lives with the incremental macros because it is the write half of the event window.
-#}
{% macro bq_insert_overwrite_sql(
    tmp_relation, target_relation, sql, unique_key, partition_by, partitions, dest_columns, tmp_relation_exists, copy_partitions
) %}
    {%- if copy_partitions -%}
        {{ exceptions.raise_compiler_error("copy_partitions is not supported by this project's insert_overwrite") }}
    {%- endif -%}
    {%- if partition_by.field == 'snapshot_date' -%}
        {#- a snapshot table: the one partition of the run's snapshot date -#}
        {%- set partitions = ["date '" ~ accounts_snapshot_date() ~ "'"] -%}
    {%- elif partitions is none or partitions == [] -%}
        {%- set window = event_window(partition_by.field) -%}
        {%- if window is none -%}
            {{ exceptions.raise_compiler_error("insert_overwrite on " ~ target_relation ~ " without an event window") }}
        {%- endif -%}
        {%- set partitions = [] -%}
        {%- for day in event_window_dates(window) -%}
            {%- do partitions.append("date '" ~ day ~ "'") -%}
        {%- endfor -%}
    {%- endif -%}
    {%- set predicate -%}
        {{ partition_by.render_wrapped(alias='dbt_internal_dest') }} in ({{ partitions | join(', ') }})
    {%- endset -%}
    {%- set source_sql = bq_static_select_insert_overwrite_sql(tmp_relation, sql, partition_by, tmp_relation_exists) -%}
    {{ get_insert_overwrite_merge_sql(
        target_relation, source_sql, dest_columns, [predicate], include_sql_header=not tmp_relation_exists) }}
{% endmacro %}
