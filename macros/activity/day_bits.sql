{#-
    28-day bit fields (bit k = k days before the row's day), as in bigquery-etl's
    *_last_seen tables. `bits` of an earlier day carried `days` days forward: shifted left,
    cut to 28 bits; 0 when the earlier day is 28 or more days back or absent (NULL). OR-ing
    the carried bits of yesterday's state (days = 1) with today's activity (bit 0) is
    Mozilla's recurrence (udf.combine_adjacent_days_28_bits); int_user_last_seen ORs every
    input of a window carried to each of its days.
-#}
{% macro shifted_bits(bits, days, all_bits=268435455) -%}
    coalesce(case when {{ days }} < 28 then ({{ bits }} << {{ days }}) & {{ all_bits }} end, 0)
{%- endmacro %}
