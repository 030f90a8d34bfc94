-- Raw event rows that staging cannot keep, one row each with the reason: no submission
-- time, or one in the future (the rule is event_quarantine_reason, shared with the
-- staging models that leave these rows out). Together with the staged rows and the
-- duplicates removed, they account for every raw row (test raw_rows_accounted_for).

{{ config(**event_incremental_config(cluster_by=['source_table'])) }}
{%- set window = event_window() %}

with

backend_events as (

    select
        'accounts_backend.events_stream' as source_table,
        event_id as source_row_id,
        submission_timestamp as raw_submitted_at,
        {{ event_quarantine_reason('submission_timestamp') }} as quarantine_reason
    from {{ source('accounts_backend', 'events_stream') }}
    where {{ window_filter_timestamp('submission_timestamp', window) }}

),

frontend_events as (

    select
        'accounts_frontend.events_stream' as source_table,
        event_id as source_row_id,
        submission_timestamp as raw_submitted_at,
        {{ event_quarantine_reason('submission_timestamp') }} as quarantine_reason
    from {{ source('accounts_frontend', 'events_stream') }}
    where {{ window_filter_timestamp('submission_timestamp', window) }}

),

amplitude_events as (

    select
        'firefox_accounts.fxa_all_events' as source_table,
        {{ surrogate_key([
            'fxa_log', 'event_type', 'user_id', 'device_id', 'flow_id', 'event_time', 'event_properties'
        ]) }} as source_row_id,
        timestamp as raw_submitted_at,
        {{ event_quarantine_reason('timestamp') }} as quarantine_reason
    from {{ source('firefox_accounts', 'fxa_all_events') }}
    where {{ window_filter_timestamp('timestamp', window) }}

),

auth_flow_events as (

    select
        'firefox_accounts_derived.fxa_log_auth_events_v1' as source_table,
        {{ surrogate_key(['timestamp', 'event', 'flow_id']) }} as source_row_id,
        timestamp as raw_submitted_at,
        {{ event_quarantine_reason('timestamp') }} as quarantine_reason
    from {{ source('firefox_accounts_derived', 'fxa_log_auth_events_v1') }}
    where {{ window_filter_timestamp('timestamp', window) }}

),

content_flow_events as (

    select
        'firefox_accounts_derived.fxa_log_content_events_v1' as source_table,
        {{ surrogate_key(['timestamp', 'event', 'flow_id']) }} as source_row_id,
        timestamp as raw_submitted_at,
        {{ event_quarantine_reason('timestamp') }} as quarantine_reason
    from {{ source('firefox_accounts_derived', 'fxa_log_content_events_v1') }}
    where {{ window_filter_timestamp('timestamp', window) }}

),

unioned as (

    select * from backend_events
    union all
    select * from frontend_events
    union all
    select * from amplitude_events
    union all
    select * from auth_flow_events
    union all
    select * from content_flow_events

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
