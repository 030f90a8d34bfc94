-- The only reader of firefox_accounts.fxa_all_events, the legacy Amplitude-format events:
-- one row per raw row of what this run's readers read, renamed and cast, with the verdict
-- quarantine_reason (NULL: keep; no usable log time or no event type). `timestamp` (log
-- time) plays the role of Glean's submission_timestamp and is passed through raw for the
-- readers' window filter. event_id is the natural key (the extracts are not deduplicated
-- upstream). Read by stg_firefox_accounts__amplitude_events and int_quarantined_event_rows.
-- Ephemeral: inlined into each reader (macros/staging/base_reads.sql for its window).

{{ config(materialized='ephemeral') }}

with

source as (

    select * from {{ source('firefox_accounts', 'fxa_all_events') }}
    where {{ event_base_filter('firefox_accounts', 'fxa_all_events', 'timestamp') }}

),

renamed as (

    select
        ----------  ids
        {{ amplitude_event_key() }} as event_id,
        {{ valid_hex_or_null('user_id', 64) }} as user_id_sha256,
        lower(nullif(device_id, '')) as device_id_sha256,
        {{ valid_hex_or_null('flow_id', 64) }} as flow_id,
        {{ valid_hex_or_null('oauth_client_id', 16) }} as oauth_client_id,
        {{ valid_service_or_null('service') }} as service,
        {{ is_invalid_service('service') }} as has_invalid_service,

        ----------  event
        fxa_log,
        nullif(logger, '') as logger,
        event_type,
        {{ dbt.split_part('event_type', "' - '", 1) }} as event_group,
        {{ dbt.split_part('event_type', "' - '", 2) }} as event_action,

        ----------  properties not extracted upstream, parsed once
        {{ json_text_scalar('event_properties', '$.email_type') }} as email_type,
        {{ json_text_scalar('event_properties', '$.reason') }} as event_reason,
        {{ json_is_malformed('event_properties', is_text=true) }} as is_event_properties_malformed,
        {{ json_is_malformed('user_properties', is_text=true) }} as is_user_properties_malformed,

        ----------  flow attributes
        nullif(entrypoint, '') as entrypoint,
        nullif(utm_source, '') as utm_source,
        nullif(utm_medium, '') as utm_medium,
        nullif(utm_campaign, '') as utm_campaign,

        ----------  geo and client
        nullif({{ trim_whitespace('country') }}, '') as country_name,
        {{ valid_country_code_or_null('country_code') }} as country_code,
        nullif(language, '') as language,
        nullif(os_name, '') as os_name,
        nullif(os_version, '') as os_version,
        nullif(ua_browser, '') as ua_browser,
        nullif(ua_version, '') as ua_version,
        nullif(app_version, '') as fxa_server_version,

        ----------  timestamps
        {{ plausible_event_time(to_utc_timestamp('event_time'), to_utc_timestamp('timestamp')) }} as event_at,
        {{ is_implausible_event_time(to_utc_timestamp('event_time'), to_utc_timestamp('timestamp')) }}
            as has_implausible_event_time,
        {{ to_utc_timestamp('receiveTimestamp') }} as received_at,
        {{ to_utc_timestamp('timestamp') }} as submitted_at,
        cast({{ to_utc_timestamp('timestamp') }} as date) as submission_date,

        ----------  for the readers: the raw partition column (their window filter) and the verdict
        timestamp,
        {{ event_quarantine_reason('timestamp', 'event_type') }} as quarantine_reason

    from source

)

select * from renamed
