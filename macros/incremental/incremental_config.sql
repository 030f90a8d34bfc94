{#-
    Config of an incremental event model, partitioned by a date column:
    BigQuery: insert_overwrite of the window's day partitions (static list, see
    bq_insert_overwrite_sql), partitioned by day on the date and clustered;
    DuckDB: window_replace, the same: every date of the window deleted, new rows inserted. Use as {{ config(**event_incremental_config(...)) }}.
-#}
{% macro event_incremental_config(date_column='submission_date', cluster_by=['relier_id'], preceding_days=0) %}
    {#- Contracted incremental models must append or fail on new columns. meta.window_column:
        the column a windowed run's data tests filter on (macros/quality/test_window.sql);
        meta.window_preceding_days: how many dates before its window a run rewrites
        (with_preceding_days, macros/incremental/event_window.sql). -#}
    {%- set meta = {'window_column': date_column} -%}
    {%- if preceding_days | int > 0 -%}
        {%- do meta.update({'window_preceding_days': preceding_days | int}) -%}
    {%- endif -%}
    {%- set common = {'materialized': 'incremental', 'on_schema_change': 'append_new_columns',
                      'meta': meta} -%}
    {%- if target.type == 'bigquery' -%}
        {%- do common.update({
            'incremental_strategy': 'insert_overwrite',
            'partition_by': {'field': date_column, 'data_type': 'date', 'granularity': 'day'},
            'cluster_by': cluster_by,
            'labels': var('bigquery_labels', {}),
        }) -%}
    {%- else -%}
        {#- every date of the window replaced, even one with no new rows (macros/cross_db/duckdb_window_replace.sql) -#}
        {%- do common.update({'incremental_strategy': 'window_replace', 'unique_key': date_column}) -%}
    {%- endif -%}
    {{ return(common) }}
{% endmacro %}


{#-
    Config of an incremental model keyed by `unique_key` rather than by date (per-account
    state such as first-seen dates): MERGE on BigQuery, delete+insert on DuckDB.
    `window_column` is the date column of the rows a windowed run rewrites, for its tests.
    `tombstone_column`: a row emitted with it NULL deletes its key (macros/cross_db/tombstones.sql).
-#}
{% macro keyed_incremental_config(unique_key, cluster_by, window_column, tombstone_column=none) %}
    {%- set common = {'materialized': 'incremental', 'unique_key': unique_key, 'on_schema_change': 'append_new_columns',
                      'meta': {'window_column': window_column, 'tombstone_column': tombstone_column},
                      'post_hook': tombstone_cleanup_hooks(tombstone_column)} -%}
    {%- if target.type == 'bigquery' -%}
        {%- do common.update({'incremental_strategy': 'merge', 'cluster_by': cluster_by, 'labels': var('bigquery_labels', {})}) -%}
    {%- else -%}
        {%- do common.update({'incremental_strategy': 'delete+insert'}) -%}
    {%- endif -%}
    {{ return(common) }}
{% endmacro %}


{#-
    Config of a one-row-per-snapshot-date table: each run replaces exactly its snapshot
    date's partition (static, so no other snapshot is touched) and keeps the others. On
    BigQuery the partition is accounts_snapshot_date(), taken by bq_insert_overwrite_sql
    when the model runs.
-#}
{% macro snapshot_incremental_config() %}
    {%- set common = {'materialized': 'incremental', 'on_schema_change': 'append_new_columns',
                      'meta': {'window_column': 'snapshot_date'}} -%}
    {%- if target.type == 'bigquery' -%}
        {%- do common.update({
            'incremental_strategy': 'insert_overwrite',
            'partition_by': {'field': 'snapshot_date', 'data_type': 'date', 'granularity': 'day'},
            'labels': var('bigquery_labels', {}),
        }) -%}
    {%- else -%}
        {%- do common.update({'incremental_strategy': 'delete+insert', 'unique_key': 'snapshot_date'}) -%}
    {%- endif -%}
    {{ return(common) }}
{% endmacro %}
