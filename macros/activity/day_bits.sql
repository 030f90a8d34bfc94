{#-
    28-day bit fields (bit k = k days before the row's day), as in bigquery-etl's
    *_last_seen tables. `bits` of an earlier day moved `days` days forward: shifted left,
    cut to 28 bits; 0 when the earlier day is 28 or more days back or absent (NULL).
-#}
{% macro shifted_bits(bits, days, all_bits=268435455) -%}
    coalesce(case when {{ days }} < 28 then ({{ bits }} << {{ days }}) & {{ all_bits }} end, 0)
{%- endmacro %}
