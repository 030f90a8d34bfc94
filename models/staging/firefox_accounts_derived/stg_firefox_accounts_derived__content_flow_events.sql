-- One row per legacy content-server flow event (flow.begin, flow.signup.view, ...).
-- The raw user agent is not selected; country is a full English name here. The content
-- server's flow log has no utm_term (bigquery-etl fxa_log_content_events_v1/query.sql,
-- every version).
-- From its base model (renames, casts, the verdict); the rows with a verdict go to
-- int_quarantined_event_rows.

{{ config(**event_incremental_config(cluster_by=['event'])) }}
{%- set window = event_window() %}

with

kept as (

    select {{ star_except(['timestamp', 'quarantine_reason']) }}
    from {{ ref('base_firefox_accounts_derived__fxa_log_content_events_v1') }}
    where
        quarantine_reason is null
        and {{ event_read_filter(
            'timestamp', event_read(window, 'firefox_accounts_derived', 'fxa_log_content_events_v1')) }}

),

deduplicated as (

    {{ deduplicate('kept', ['flow_event_id'], ['logged_at']) }}

)

select * from deduplicated
