{#-
    Every raw row of a source table is accounted for by its staging model:

        raw rows = staged rows + duplicates removed (+ quarantined rows, when given)

    Duplicates are counted independently of the model, as raw rows minus distinct values
    of the source's natural key (`meta.dedup_key` in its sources yml). A model that drops
    rows any other way (a filter, an inner join) or deduplicates on another key fails.

    All three sides count the same dates of a partitioned source: in a windowed run
    (scripts/fxa_run.py) the window; on Mozilla's BigQuery otherwise the days whose raw
    partitions still exist (from the retention horizon, or var('history_start_date') when
    later: the staged tables keep older days that the raw table has dropped); elsewhere
    everything. The raw read is always bounded on its partition column, as BigQuery requires.
-#}
{% test raw_rows_accounted_for(model, source_name, table_name, quarantine_model=none, quarantine_filter='true') %}
{%- if execute -%}
    {%- set meta = raw_source_meta(source_name, table_name) -%}
    {%- set dedup_key = meta.get('dedup_key') -%}
    {%- if not dedup_key -%}
        {{ exceptions.raise_compiler_error("raw_rows_accounted_for: source " ~ source_name ~ "." ~ table_name ~ " declares no meta.dedup_key") }}
    {%- endif -%}
{%- else -%}
    {%- set meta = {} -%}
    {%- set dedup_key = ['1'] -%}
{%- endif -%}
{%- set window = explicit_run_window() or raw_retained_window(source_name, table_name) -%}
{%- set is_partitioned = meta.get('partition_column') is not none -%}

with

raw as (
    select
        count(*) as raw_rows,
        count(distinct {{ surrogate_key(dedup_key) }}) as distinct_keys
    from {{ source(source_name, table_name) }}
    where {{ raw_partition_filter(source_name, table_name, window) }}
),

staged as (
    select count(*) as staged_rows from {{ model }}
    {%- if is_partitioned %}
    where {{ window_filter_date('submission_date', window) }}
    {%- endif %}
),

quarantined as (
    {%- if quarantine_model is not none %}
    select count(*) as quarantined_rows from {{ quarantine_model }}
    where {{ quarantine_filter }}
        {%- if is_partitioned %}
        and {{ window_filter_date('submission_date', window) }}
        {%- endif %}
    {%- else %}
    select 0 as quarantined_rows
    {%- endif %}
)

select
    raw.raw_rows,
    staged.staged_rows,
    raw.raw_rows - raw.distinct_keys as duplicate_rows,
    quarantined.quarantined_rows
from raw
cross join staged
cross join quarantined
where raw.raw_rows != staged.staged_rows + (raw.raw_rows - raw.distinct_keys) + quarantined.quarantined_rows

{% endtest %}
