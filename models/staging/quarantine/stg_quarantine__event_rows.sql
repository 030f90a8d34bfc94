-- Raw event rows that staging cannot keep, one row per raw key with the reason: no
-- submission time, one in the future or before var('history_start_date'), or no event
-- name (the rule is event_quarantine_reason, shared with the staging models that leave
-- these rows out). Together with the staged rows and the
-- duplicates removed, they account for every raw row (test raw_rows_accounted_for).
-- A window that starts after the legacy flow logs' last partition does not read them
-- (raw_source_read_in; scripts/fxa_run.py leaves their staging models out the same way).

{{ config(**event_incremental_config(cluster_by=['source_table'])) }}
{%- set window = event_window() %}
{#- the flow logs: read in windows up to their last partition; on DuckDB their rows that no
    window covers are read by every run (reads_rows_outside_history) -#}
{%- set flow_logs_in_window = raw_source_read_in('firefox_accounts_derived', 'fxa_log_auth_events_v1', window) %}
{%- set reads_flow_logs = flow_logs_in_window or reads_rows_outside_history() %}

with

backend_events as (

    {{ quarantined_event_rows(
        'accounts_backend.events_stream', source('accounts_backend', 'events_stream'),
        'event_id', 'submission_timestamp', window, 'event') }}

),

frontend_events as (

    {{ quarantined_event_rows(
        'accounts_frontend.events_stream', source('accounts_frontend', 'events_stream'),
        'event_id', 'submission_timestamp', window, 'event') }}

),

amplitude_events as (

    {{ quarantined_event_rows(
        'firefox_accounts.fxa_all_events', source('firefox_accounts', 'fxa_all_events'),
        amplitude_event_key(), 'timestamp', window, 'event_type') }}

),

{%- if reads_flow_logs %}

    auth_flow_events as (

        {{ quarantined_event_rows(
            'firefox_accounts_derived.fxa_log_auth_events_v1', source('firefox_accounts_derived', 'fxa_log_auth_events_v1'),
            flow_log_event_key(), 'timestamp', window, 'event', read_window=flow_logs_in_window) }}

    ),

    content_flow_events as (

        {{ quarantined_event_rows(
            'firefox_accounts_derived.fxa_log_content_events_v1',
            source('firefox_accounts_derived', 'fxa_log_content_events_v1'),
            flow_log_event_key(), 'timestamp', window, 'event', read_window=flow_logs_in_window) }}

    ),
{%- endif %}

unioned as (

    select * from backend_events
    union all
    select * from frontend_events
    union all
    select * from amplitude_events
    {%- if reads_flow_logs %}
        union all
        select * from auth_flow_events
        union all
        select * from content_flow_events
    {%- endif %}

),

-- one row per raw key: copies of a quarantined row (a re-shipped extract) count once here
-- and as duplicates in raw_rows_accounted_for, as they would in staging
final as (

    select
        source_table,
        source_row_id,
        min(quarantine_reason) as quarantine_reason,
        min({{ to_utc_timestamp('raw_submitted_at') }}) as submitted_at,
        cast(min({{ to_utc_timestamp('raw_submitted_at') }}) as date) as submission_date,
        count(*) as raw_rows
    from unioned
    where quarantine_reason is not null
    group by 1, 2

)

select * from final
