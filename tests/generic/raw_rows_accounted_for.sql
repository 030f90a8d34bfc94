{#-
    Every raw row of a source table is accounted for by its staging model:

        raw rows = staged rows + duplicates removed (+ quarantined rows, when given)

    Duplicates are counted independently of the model, as raw rows minus distinct values
    of the source's natural key (`meta.dedup_key` in its sources yml). A model that drops
    rows any other way (a filter, an inner join) or deduplicates on another key fails.
-#}
{% test raw_rows_accounted_for(model, source_name, table_name, quarantine_model=none, quarantine_filter='true') %}
{%- if execute -%}
    {%- set matches = graph.sources.values() | selectattr('source_name', 'equalto', source_name)
                      | selectattr('name', 'equalto', table_name) | list -%}
    {%- if matches | length != 1 -%}
        {{ exceptions.raise_compiler_error("raw_rows_accounted_for: unknown source " ~ source_name ~ "." ~ table_name) }}
    {%- endif -%}
    {%- set meta = matches[0].meta or matches[0].config.meta or {} -%}
    {%- set dedup_key = meta.get('dedup_key') -%}
    {%- if not dedup_key -%}
        {{ exceptions.raise_compiler_error("raw_rows_accounted_for: source " ~ source_name ~ "." ~ table_name ~ " declares no meta.dedup_key") }}
    {%- endif -%}
{%- else -%}
    {%- set dedup_key = ['1'] -%}
{%- endif -%}

with

raw as (
    select
        count(*) as raw_rows,
        count(distinct {{ surrogate_key(dedup_key) }}) as distinct_keys
    from {{ source(source_name, table_name) }}
),

staged as (
    select count(*) as staged_rows from {{ model }}
),

quarantined as (
    {%- if quarantine_model is not none %}
    select count(*) as quarantined_rows from {{ quarantine_model }} where {{ quarantine_filter }}
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
