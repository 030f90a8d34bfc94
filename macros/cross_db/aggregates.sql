{#-
    Aggregates: the non-NULL `value` of the group's row with the smallest (value_at_min)
    or largest (value_at_max) `keys`, a list of expressions compared in order; NULL when
    every value is NULL. They replace a row_number() window plus a join back. DuckDB's
    arg_min/arg_max keep one row of state per group (an ordered aggregate would buffer
    every row of the group).
-#}
{% macro value_at_min(value, keys) -%}
    {{ return(adapter.dispatch('value_at_extreme', 'mozilla_accounts')(value, keys, 'min')) }}
{%- endmacro %}

{% macro value_at_max(value, keys) -%}
    {{ return(adapter.dispatch('value_at_extreme', 'mozilla_accounts')(value, keys, 'max')) }}
{%- endmacro %}

{% macro default__value_at_extreme(value, keys, extreme) -%}
    {%- set direction = ' desc' if extreme == 'max' else '' -%}
    array_agg({{ value }} ignore nulls order by {% for key in keys %}{{ key }}{{ direction }}{{ ', ' if not loop.last }}{% endfor %} limit 1)[safe_offset(0)]
{%- endmacro %}

{% macro duckdb__value_at_extreme(value, keys, extreme) -%}
    arg_{{ extreme }}({{ value }}, ({{ keys | join(', ') }})) filter (where {{ value }} is not null)
{%- endmacro %}
