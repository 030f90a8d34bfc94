-- The only reader of firefox_accounts_derived.fxa_log_auth_events_v1, the legacy
-- auth-server flow events (account.created, flow.complete, ...): one row per raw row of
-- what this run's readers read, renamed and cast, with the verdict quarantine_reason
-- (NULL: keep; no usable log time or no event name) and the raw `timestamp` for the
-- readers' window filter. flow_event_id is the natural key. The raw user agent is not
-- selected. Read by stg_firefox_accounts_derived__auth_flow_events and
-- int_quarantined_event_rows, which reads no window past the logs' last partition (var
-- legacy_flow_logs_end_date). Ephemeral: inlined into each reader (see
-- macros/staging/base_reads.sql for its window).

{{ config(materialized='ephemeral') }}

with

source as (

    select * from {{ source('firefox_accounts_derived', 'fxa_log_auth_events_v1') }}
    where {{ event_base_filter('firefox_accounts_derived', 'fxa_log_auth_events_v1', 'timestamp') }}

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
        cast({{ to_utc_timestamp('timestamp') }} as date) as submission_date,

        ----------  for the readers: the raw partition column (their window filter) and the verdict
        timestamp,
        {{ event_quarantine_reason('timestamp', 'event') }} as quarantine_reason

    from source

)

select * from renamed
