{#-
    Timestamps. BigQuery TIMESTAMP is an instant; a Parquet export and the DuckDB sample
    hold TIMESTAMP WITH TIME ZONE. Staging turns every raw timestamp into a plain UTC
    `timestamp` so that models compare and truncate them the same way on both engines.
-#}
{% macro to_utc_timestamp(expression) -%}
    {{ return(adapter.dispatch('to_utc_timestamp', 'mozilla_accounts')(expression)) }}
{%- endmacro %}

{% macro default__to_utc_timestamp(expression) -%}
    {{ expression }}
{%- endmacro %}

{% macro duckdb__to_utc_timestamp(expression) -%}
    cast(({{ expression }}) at time zone 'UTC' as timestamp)
{%- endmacro %}


{#- Epoch milliseconds (INT64 or NUMERIC) to a UTC timestamp; NULL stays NULL. -#}
{% macro epoch_ms_to_timestamp(expression) -%}
    {{ return(adapter.dispatch('epoch_ms_to_timestamp', 'mozilla_accounts')(expression)) }}
{%- endmacro %}

{% macro default__epoch_ms_to_timestamp(expression) -%}
    safe.timestamp_millis(cast({{ expression }} as int64))
{%- endmacro %}

{% macro duckdb__epoch_ms_to_timestamp(expression) -%}
    epoch_ms(cast({{ expression }} as bigint))
{%- endmacro %}


{#- A timestamp plus a number of hours, as a timestamp on both engines. -#}
{% macro timestamp_add_hours(expression, hours) -%}
    {{ return(adapter.dispatch('timestamp_add_hours', 'mozilla_accounts')(expression, hours)) }}
{%- endmacro %}

{% macro default__timestamp_add_hours(expression, hours) -%}
    timestamp_add({{ expression }}, interval {{ hours }} hour)
{%- endmacro %}

{% macro duckdb__timestamp_add_hours(expression, hours) -%}
    ({{ expression }} + to_hours(cast({{ hours }} as bigint)))
{%- endmacro %}


{#-
    The filter of a full build on a raw partition column. BigQuery's events tables require
    a partition filter, so a full build reads from var('history_start_date') on; DuckDB
    reads everything (rows without a submission time are then quarantined).
-#}
{% macro full_history_filter(column) -%}
    {{ return(adapter.dispatch('full_history_filter', 'mozilla_accounts')(column)) }}
{%- endmacro %}

{% macro default__full_history_filter(column) -%}
    {{ column }} >= {{ history_start_timestamp() }}
{%- endmacro %}

{% macro duckdb__full_history_filter(column) -%}
    true
{%- endmacro %}


{#-
    The raw rows no run window ever reads, for the quarantine: rows without a submission
    time or dated before var('history_start_date'). On DuckDB a windowed run of the
    quarantine reads them as well (reads_rows_outside_history()), so they are accounted for
    whatever dates the runs covered. BigQuery never reads them (the partition filter of
    every read starts at history_start_date, the raw counts of raw_rows_accounted_for too),
    so there the predicate is never added to a read.
-#}
{% macro reads_rows_outside_history() -%}
    {{ return(adapter.dispatch('reads_rows_outside_history', 'mozilla_accounts')()) }}
{%- endmacro %}

{% macro default__reads_rows_outside_history() -%}
    {{ return(false) }}
{%- endmacro %}

{% macro duckdb__reads_rows_outside_history() -%}
    {{ return(true) }}
{%- endmacro %}

{% macro outside_history_filter(column) -%}
    ({{ column }} is null or {{ column }} < {{ history_start_timestamp() }})
{%- endmacro %}

{#-
    The current time minus a number of hours. BigQuery evaluates it once per query, as a
    constant, so it can bound a partition filter (the freshness queries use it).
-#}
{% macro hours_before_now(hours) -%}
    {{ return(adapter.dispatch('hours_before_now', 'mozilla_accounts')(hours)) }}
{%- endmacro %}

{% macro default__hours_before_now(hours) -%}
    timestamp_sub(current_timestamp(), interval {{ hours }} hour)
{%- endmacro %}

{% macro duckdb__hours_before_now(hours) -%}
    (current_timestamp - to_hours(cast({{ hours }} as bigint)))
{%- endmacro %}
