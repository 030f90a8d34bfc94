{#-
    Aggregate: the first non-NULL `value` of the group in the order `order_by` (an ORDER
    BY list, e.g. "step_at desc, event_id"), or NULL when every value is NULL. Replaces a
    row_number() window plus a join back on both engines.
-#}
{% macro first_value_by(value, order_by) -%}
    {{ return(adapter.dispatch('first_value_by', 'mozilla_accounts')(value, order_by)) }}
{%- endmacro %}

{% macro default__first_value_by(value, order_by) -%}
    array_agg({{ value }} ignore nulls order by {{ order_by }} limit 1)[safe_offset(0)]
{%- endmacro %}

{% macro duckdb__first_value_by(value, order_by) -%}
    first({{ value }} order by {{ order_by }}) filter (where {{ value }} is not null)
{%- endmacro %}
