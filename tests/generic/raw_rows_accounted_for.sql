{#-
    Every raw row of a source table is accounted for by its staging model:

        raw rows = staged rows + duplicates removed (+ quarantined rows, when given)

    Duplicates are copies inside the counted dates and, with `prior_copies_column`, copies
    of events that staging found already staged on the var('dedup_lookback_days') days
    before them (the Glean staging models deduplicate against those: a copy re-delivered
    days later). `prior_copies_model` is the staging model again (as ref: `model` is
    narrowed to the window in a windowed run) and `prior_copies_column` its column that
    holds the raw key (single-column keys only).

    Duplicates are counted independently of the model, as raw rows minus distinct values
    of the source's natural key (`meta.dedup_key` in its sources yml). A model that drops
    rows any other way (a filter, an inner join) or deduplicates on another key fails.

    All three sides count the same dates of a partitioned source: in a windowed run
    (scripts/fxa_run.py) the window; on Mozilla's BigQuery otherwise the days whose raw
    partitions still exist (from the retention horizon, or var('history_start_date') when
    later: the staged tables keep older days that the raw table has dropped); elsewhere
    everything. The raw read is always bounded on its partition column, as BigQuery requires.
-#}
{% test raw_rows_accounted_for(model, source_name, table_name, quarantine_model=none, quarantine_filter='true',
                               prior_copies_model=none, prior_copies_column=none) %}
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
),

-- distinct keys of the counted dates already staged on the days before them
prior_copies as (
    {%- if prior_copies_model is not none and window is not none %}
    select count(distinct raw_keys.{{ dedup_key[0] }}) as prior_copy_rows
    from {{ source(source_name, table_name) }} as raw_keys
    where
        {{ raw_partition_filter(source_name, table_name, window) }}
        and raw_keys.{{ dedup_key[0] }} in (
            select earlier.{{ prior_copies_column }} from {{ prior_copies_model }} as earlier
            where {{ window_filter_date('earlier.submission_date', dedup_lookback_window(window)) }}
        )
    {%- else %}
    select 0 as prior_copy_rows
    {%- endif %}
)

select
    raw.raw_rows,
    staged.staged_rows,
    raw.raw_rows - raw.distinct_keys as duplicate_rows,
    prior_copies.prior_copy_rows,
    quarantined.quarantined_rows
from raw
cross join staged
cross join prior_copies
cross join quarantined
where
    raw.raw_rows
    != staged.staged_rows + (raw.raw_rows - raw.distinct_keys) + prior_copies.prior_copy_rows
    + quarantined.quarantined_rows

{% endtest %}
