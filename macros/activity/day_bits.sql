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


{#-
    The active-user measures of a last-seen state (columns submission_date, user_id_sha256,
    days_seen_bits, first_seen_date; grouped by day, one row per account seen in the 28 days
    ending it), as select items: DAU, WAU and MAU are the accounts with a
    bit set in the last 1, 7 and 28 days (bits 0, 0-6, 0-27: every row has one), new users
    those whose first day is the row's. One definition for the relier and the all-reliers
    marts.
-#}
{% macro active_user_measures() -%}
    count(case when (days_seen_bits & 1) != 0 then user_id_sha256 end) as dau,
        count(case when (days_seen_bits & 127) != 0 then user_id_sha256 end) as wau,
        count(*) as mau,
        count(case when first_seen_date = submission_date then user_id_sha256 end) as new_users
{%- endmacro %}
