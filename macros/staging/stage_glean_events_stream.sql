{#-
    The staging SELECT shared by stg_accounts_backend__events and
    stg_accounts_frontend__events: both read an `events_stream` table of the same layout.

    * ids: flow, user (already hashed by Glean), relier keys lower-cased; '' -> NULL;
      a flow id, user id or client id that is not hex of its length becomes NULL and
      sets a `has_invalid_*` flag (the event is kept).
    * rows that cannot be placed on a date (no or a future submission time) go to
      stg_quarantine__event_rows instead (same rule, macros/quality/validation.sql).
    * the raw uid (`metrics.string.account_user_id`) is never selected.
    * `event_extra` is parsed once into typed `extra_*` columns; unparseable text keeps the
      event and sets `is_event_extra_malformed`.
    * one row per `event_id` (at-least-once delivery): the earliest submission wins.
    * incremental: only the run's window of submission dates is read (partition pruning
      on submission_timestamp) and rebuilt; duplicates are removed within that window.
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
        lower(nullif(trim(metrics.string.relying_party_service), '')) as relying_party_service,
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
        upper(nullif(metadata.geo.country, '')) as country_code,
        nullif(metadata.user_agent.browser, '') as ua_browser,
        nullif(metadata.user_agent.version, '') as ua_version,
        nullif(metadata.user_agent.os, '') as ua_os,
        nullif(normalized_channel, '') as channel,
        nullif(client_info.app_display_version, '') as app_version,

        ----------  booleans
        coalesce(is_bot_generated, false) as is_bot_generated,
        {{ is_malformed_hex('metrics.string.session_flow_id', 64) }} as has_invalid_flow_id,
        {{ is_malformed_hex('metrics.string.account_user_id_sha256', 64) }} as has_invalid_user_id,
        {{ is_malformed_hex('metrics.string.relying_party_oauth_client_id', 16) }} as has_invalid_client_id,

        ----------  timestamps
        {{ to_utc_timestamp('event_timestamp') }} as event_at,
        {{ to_utc_timestamp('submission_timestamp') }} as submitted_at,
        cast({{ to_utc_timestamp('submission_timestamp') }} as date) as submission_date

    from source
    where {{ event_quarantine_reason('submission_timestamp') }} is null

),

deduplicated as (

    {{ deduplicate('renamed', ['event_id'], ['submitted_at', 'document_id']) }}

)

select * from deduplicated
{% endmacro %}
