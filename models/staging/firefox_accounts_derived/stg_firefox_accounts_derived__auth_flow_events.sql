-- One row per legacy auth-server flow event (account.created, flow.complete, ...).
-- The raw user agent is not selected.

{{ config(**event_incremental_config(cluster_by=['event'])) }}
{%- set window = event_window() %}

with

source as (

    select * from {{ source('firefox_accounts_derived', 'fxa_log_auth_events_v1') }}
    where {{ window_filter_timestamp('timestamp', window) }}

),

renamed as (

    select
        ----------  ids
        {{ flow_log_event_key() }} as flow_event_id,
        {{ valid_hex_or_null('flow_id', 64) }} as flow_id,
        lower(nullif(device_id, '')) as device_id_sha256,
        {{ valid_service_or_null('service') }} as service,
        {{ is_invalid_service('service') }} as has_invalid_service,

        ----------  event and flow attributes
        event,
        nullif(entrypoint, '') as entrypoint,
        nullif(os_version, '') as os_version,
        nullif(utm_source, '') as utm_source,
        nullif(utm_medium, '') as utm_medium,
        nullif(utm_campaign, '') as utm_campaign,
        nullif(utm_content, '') as utm_content,
        nullif(utm_term, '') as utm_term,

        ----------  timestamps
        {{ to_utc_timestamp('timestamp') }} as logged_at,
        cast({{ to_utc_timestamp('timestamp') }} as date) as submission_date

    from source
    where {{ event_quarantine_reason('timestamp', 'event') }} is null

),

deduplicated as (

    {{ deduplicate('renamed', ['flow_event_id'], ['logged_at']) }}

)

select * from deduplicated
