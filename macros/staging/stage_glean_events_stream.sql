{#-
    The staging SELECT shared by stg_accounts_backend__events and
    stg_accounts_frontend__events: both read an `events_stream` table of the same layout.

    * ids: flow, user (already hashed by Glean), relier keys lower-cased; '' -> NULL;
      a flow id, user id or client id that is not hex of its length becomes NULL and
      sets a `has_invalid_*` flag (the event is kept); a service that cannot be a
      service name (an email, a uid: free text) becomes NULL with `has_invalid_service`.
    * country: an ISO 3166 alpha-2 code or NULL.
    * traffic: every deployment and bots are kept, with `app_channel`, `is_bot_generated`
      and `is_counted_traffic` (what the marts count: macros/quality/traffic.sql).
    * event time: the sender's clock, kept only when plausible around the submission
      (else the submission time, `has_implausible_event_time`).
    * rows that cannot be kept (no, a future or a pre-history submission time; no event
      name) go to stg_quarantine__event_rows instead (same rule, macros/quality/validation.sql).
    * the raw uid (`metrics.string.account_user_id`) is never selected.
    * `event_extra` is parsed once into typed `extra_*` columns; unparseable text keeps the
      event and sets `is_event_extra_malformed`.
    * one row per `event_id` (at-least-once delivery): the earliest submission wins.
    * incremental: only the run's window of submission dates is read (partition pruning
      on submission_timestamp) and rebuilt; duplicates are removed within that window
      and against the event ids staged on the var('dedup_lookback_days') days before it.
-#}
{% macro stage_glean_events_stream(source_name) %}
{%- set window = event_window() -%}
with

source as (

    select * from {{ source(source_name, 'events_stream') }}
    where {{ window_filter_timestamp('submission_timestamp', window) }}

),

renamed as (

    select
        ----------  ids
        event_id,
        document_id,
        document_event_number,
        {{ valid_hex_or_null('metrics.string.session_flow_id', 64) }} as flow_id,
        {{ valid_hex_or_null('metrics.string.account_user_id_sha256', 64) }} as user_id_sha256,
        {{ valid_hex_or_null('metrics.string.relying_party_oauth_client_id', 16) }} as relying_party_oauth_client_id,
        {{ valid_service_or_null('metrics.string.relying_party_service') }} as relying_party_service,
        sample_id,

        ----------  event
        event,
        event_category,
        event_name,

        ----------  event extras, parsed once
        {{ json_scalar('event_extra', '$.reason') }} as extra_reason,
        {{ json_scalar('event_extra', '$.type') }} as extra_type,
        {{ json_scalar('event_extra', '$.scopes') }} as extra_scopes,
        {{ json_scalar('event_extra', '$.error_code') }} as extra_error_code,
        {{ dbt.safe_cast(json_scalar('event_extra', '$.linking'), dbt.type_boolean()) }} as extra_is_linking,
        {{ dbt.safe_cast(json_scalar('event_extra', '$.third_party_links'), dbt.type_boolean()) }}
            as extra_has_third_party_links,
        {{ json_is_malformed('event_extra') }} as is_event_extra_malformed,

        ----------  flow attributes
        nullif(metrics.string.session_entrypoint, '') as entrypoint,
        nullif(metrics.string.session_device_type, '') as device_type,
        nullif(metrics.string.utm_source, '') as utm_source,
        nullif(metrics.string.utm_medium, '') as utm_medium,
        nullif(metrics.string.utm_campaign, '') as utm_campaign,
        nullif(metrics.string.utm_content, '') as utm_content,
        nullif(metrics.string.utm_term, '') as utm_term,

        ----------  geo and client (country only: no city or subdivision)
        {{ valid_country_code_or_null('metadata.geo.country') }} as country_code,
        nullif(metadata.user_agent.browser, '') as ua_browser,
        nullif(metadata.user_agent.version, '') as ua_version,
        nullif(metadata.user_agent.os, '') as ua_os,
        nullif(normalized_channel, '') as channel,
        {{ normalized_app_channel() }} as app_channel,
        nullif(client_info.app_display_version, '') as app_version,

        ----------  booleans
        coalesce(is_bot_generated, false) as is_bot_generated,
        {{ is_counted_traffic(normalized_app_channel(), 'is_bot_generated') }}
            as is_counted_traffic,
        {{ is_malformed_hex('metrics.string.session_flow_id', 64) }} as has_invalid_flow_id,
        {{ is_malformed_hex('metrics.string.account_user_id_sha256', 64) }} as has_invalid_user_id,
        {{ is_malformed_hex('metrics.string.relying_party_oauth_client_id', 16) }} as has_invalid_client_id,
        {{ is_invalid_service('metrics.string.relying_party_service') }} as has_invalid_service,
        {{ is_implausible_event_time(to_utc_timestamp('event_timestamp'), to_utc_timestamp('submission_timestamp')) }}
            as has_implausible_event_time,

        ----------  timestamps
        {{ plausible_event_time(to_utc_timestamp('event_timestamp'), to_utc_timestamp('submission_timestamp')) }}
            as event_at,
        {{ to_utc_timestamp('submission_timestamp') }} as submitted_at,
        cast({{ to_utc_timestamp('submission_timestamp') }} as date) as submission_date

    from source
    where {{ event_quarantine_reason('submission_timestamp', 'event') }} is null

),

deduplicated as (

    {{ deduplicate('renamed', ['event_id'], ['submitted_at', 'document_id']) }}

)

{%- if window is not none and is_incremental() %},

-- copies of events already staged on the days before the window (re-delivered late)
already_staged as (

    select event_id from {{ this }}
    where {{ window_filter_date('submission_date', dedup_lookback_window(window)) }}

)

select deduplicated.* from deduplicated
where not exists (
    select 1 from already_staged
    where already_staged.event_id = deduplicated.event_id
)
{%- else %}

select * from deduplicated
{%- endif %}
{% endmacro %}
