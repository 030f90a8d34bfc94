{#-
    Rules for bad input, shared by the staging models that keep rows and the quarantine
    models that hold the rows they reject, so the two never disagree. The catalogue of
    cases and what happens to each is docs/bad_input.md.
-#}

{#- A hex id of `length` characters, lower-cased; NULL when empty or malformed. -#}
{% macro valid_hex_or_null(expression, length) -%}
    case
        when {{ regex_full_match('lower(' ~ expression ~ ')', '[0-9a-f]{' ~ length ~ '}') }}
            then lower({{ expression }})
    end
{%- endmacro %}


{#- True when the raw value is present but not a hex id of `length` characters. -#}
{% macro is_malformed_hex(expression, length) -%}
    (nullif({{ expression }}, '') is not null
     and not {{ regex_full_match('lower(' ~ expression ~ ')', '[0-9a-f]{' ~ length ~ '}') }})
{%- endmacro %}


{#-
    Why an event row cannot be placed on a submission date, or NULL when it can: no
    submission time, or one later than the run (plus a day of clock skew).
-#}
{% macro event_quarantine_reason(timestamp_column) -%}
    {%- set latest_allowed = (run_started_at.astimezone(modules.pytz.utc) + modules.datetime.timedelta(days=1)).strftime('%Y-%m-%d %H:%M:%S') -%}
    case
        when {{ timestamp_column }} is null then 'missing submission time'
        when {{ timestamp_column }} > cast('{{ latest_allowed }}+00' as timestamp) then 'submission time in the future'
    end
{%- endmacro %}


{#- Timestamps before Mozilla accounts existed or after the run are not plausible. -#}
{% macro is_implausible_timestamp(expression) -%}
    {%- set latest_allowed = (run_started_at.astimezone(modules.pytz.utc) + modules.datetime.timedelta(days=1)).strftime('%Y-%m-%d %H:%M:%S') -%}
    ({{ expression }} < cast('2010-01-01 00:00:00' as timestamp)
     or {{ expression }} > cast('{{ latest_allowed }}' as timestamp))
{%- endmacro %}


{#-
    The raw rows of one event table that staging does not keep, for
    stg_quarantine__event_rows: table label, row id, raw submission time and reason.
-#}
{% macro quarantined_event_rows(label, relation, row_id, timestamp_column, window) -%}
    select
        '{{ label }}' as source_table,
        {{ row_id }} as source_row_id,
        {{ timestamp_column }} as raw_submitted_at,
        {{ event_quarantine_reason(timestamp_column) }} as quarantine_reason
    from {{ relation }}
    where {{ window_filter_timestamp(timestamp_column, window) }}
{%- endmacro %}
