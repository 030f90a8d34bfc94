{#- A DATE plus a number of days (negative to go back), as a DATE on both engines. -#}
{% macro date_add_days(expression, days) -%}
    {{ return(adapter.dispatch('date_add_days', 'mozilla_accounts')(expression, days)) }}
{%- endmacro %}

{% macro default__date_add_days(expression, days) -%}
    date_add({{ expression }}, interval {{ days }} day)
{%- endmacro %}

{% macro duckdb__date_add_days(expression, days) -%}
    cast({{ expression }} + cast({{ days }} as integer) as date)
{%- endmacro %}


{#- Whole days from `start_date` to `end_date` (DATEs). -#}
{% macro date_diff_days(end_date, start_date) -%}
    {{ return(adapter.dispatch('date_diff_days', 'mozilla_accounts')(end_date, start_date)) }}
{%- endmacro %}

{% macro default__date_diff_days(end_date, start_date) -%}
    date_diff({{ end_date }}, {{ start_date }}, day)
{%- endmacro %}

{% macro duckdb__date_diff_days(end_date, start_date) -%}
    date_diff('day', {{ start_date }}, {{ end_date }})
{%- endmacro %}


{#-
    A relation of one DATE column `date_day`: every day from `first_day` to `last_day`
    inclusive, both SQL DATE expressions (scalar subqueries allowed), at most 10,000 days.
    Plain SQL on both engines: a digits cross join instead of generate_date_array /
    generate_series, whose arguments must be constants.
-#}
{% macro date_spine(first_day, last_day) -%}
    select {{ date_add_days('spine_bounds.first_day', 'day_offsets.day_offset') }} as date_day
    from (
        select
            {{ first_day }} as first_day,
            {{ last_day }} as last_day
    ) as spine_bounds
    cross join (
        select ones.digit + 10 * tens.digit + 100 * hundreds.digit + 1000 * thousands.digit as day_offset
        from (select 0 as digit union all select 1 union all select 2 union all select 3 union all select 4
              union all select 5 union all select 6 union all select 7 union all select 8 union all select 9) as ones
        cross join (select 0 as digit union all select 1 union all select 2 union all select 3 union all select 4
              union all select 5 union all select 6 union all select 7 union all select 8 union all select 9) as tens
        cross join (select 0 as digit union all select 1 union all select 2 union all select 3 union all select 4
              union all select 5 union all select 6 union all select 7 union all select 8 union all select 9) as hundreds
        cross join (select 0 as digit union all select 1 union all select 2 union all select 3 union all select 4
              union all select 5 union all select 6 union all select 7 union all select 8 union all select 9) as thousands
    ) as day_offsets
    where day_offsets.day_offset <= {{ date_diff_days('spine_bounds.last_day', 'spine_bounds.first_day') }}
{%- endmacro %}
