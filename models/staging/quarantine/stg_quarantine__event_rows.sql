-- Raw event rows that staging cannot keep, one row each with the reason: no submission
-- time, or one in the future (the rule is event_quarantine_reason, shared with the
-- staging models that leave these rows out). Together with the staged rows and the
-- duplicates removed, they account for every raw row (test raw_rows_accounted_for).
-- A window that starts after the legacy flow logs' last partition does not read them
-- (raw_source_read_in; scripts/fxa_run.py leaves their staging models out the same way).

{{ config(**event_incremental_config(cluster_by=['source_table'])) }}
{%- set window = event_window() %}

with

backend_events as (

    {{ quarantined_event_rows(
        'accounts_backend.events_stream', source('accounts_backend', 'events_stream'),
        'event_id', 'submission_timestamp', window) }}

),

frontend_events as (

    {{ quarantined_event_rows(
        'accounts_frontend.events_stream', source('accounts_frontend', 'events_stream'),
        'event_id', 'submission_timestamp', window) }}

),

amplitude_events as (

    {{ quarantined_event_rows(
        'firefox_accounts.fxa_all_events', source('firefox_accounts', 'fxa_all_events'),
        amplitude_event_key(), 'timestamp', window) }}

),

{%- if raw_source_read_in('firefox_accounts_derived', 'fxa_log_auth_events_v1', window) %}

    auth_flow_events as (

        {{ quarantined_event_rows(
            'firefox_accounts_derived.fxa_log_auth_events_v1', source('firefox_accounts_derived', 'fxa_log_auth_events_v1'),
            flow_log_event_key(), 'timestamp', window) }}

    ),

    content_flow_events as (

        {{ quarantined_event_rows(
            'firefox_accounts_derived.fxa_log_content_events_v1',
            source('firefox_accounts_derived', 'fxa_log_content_events_v1'),
            flow_log_event_key(), 'timestamp', window) }}

    ),
{%- endif %}

unioned as (

    select * from backend_events
    union all
    select * from frontend_events
    union all
    select * from amplitude_events
    {%- if raw_source_read_in('firefox_accounts_derived', 'fxa_log_auth_events_v1', window) %}
        union all
        select * from auth_flow_events
        union all
        select * from content_flow_events
    {%- endif %}

),

final as (

    select
        source_table,
        source_row_id,
        quarantine_reason,
        {{ to_utc_timestamp('raw_submitted_at') }} as submitted_at,
        cast({{ to_utc_timestamp('raw_submitted_at') }} as date) as submission_date
    from unioned
    where quarantine_reason is not null

)

select * from final
