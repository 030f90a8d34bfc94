{#-
    The two Glean events_stream tables (accounts_backend, accounts_frontend) share one
    layout, and so one base SELECT and one staging SELECT.

    glean_events_stream_base(source_name), the base models base_<source>__events_stream:
    the only read of the raw table, bounded on submission_timestamp to what this run's
    readers read (event_base_filter, macros/staging/base_reads.sql), one row per raw row:

    * ids: flow, user (already hashed by Glean), relier keys lower-cased; '' -> NULL;
      a flow id, user id or client id that is not hex of its length becomes NULL and
      sets a `has_invalid_*` flag; a service that cannot be a service name (an email, a
      uid: free text) becomes NULL with `has_invalid_service`.
    * country: an ISO 3166 alpha-2 code or NULL.
    * traffic: every deployment and bots, with `app_channel`, `is_bot_generated` and
      `is_counted_traffic` (what the marts count: macros/quality/traffic.sql).
    * event time: the sender's clock, kept only when plausible around the submission
      (else the submission time, `has_implausible_event_time`).
    * the raw uid (`metrics.string.account_user_id`) is never selected.
    * `event_extra` is parsed once into typed `extra_*` columns; unparseable text sets
      `is_event_extra_malformed`.
    * `quarantine_reason`: why the row cannot be kept (no, a future or a pre-history
      submission time; no event name: event_quarantine_reason), NULL when it can; and the
      raw `submission_timestamp`, which the readers filter their own window on.

    stage_glean_events_stream(source_name), the staging models stg_<source>__events:
    the base's rows without a verdict, in the run's window (partition pruning on
    submission_timestamp), one row per `event_id` (at-least-once delivery: the earliest
    submission wins); in an incremental run, duplicates are removed within that window and
    against the event ids staged on the var('dedup_lookback_days') days before it. The rows
    with a verdict go to int_quarantined_event_rows.
-#}
{% macro glean_events_stream_base(source_name) %}
with

source as (

    select * from {{ source(source_name, 'events_stream') }}
    where {{ event_base_filter(source_name, 'events_stream', 'submission_timestamp') }}

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
        cast({{ to_utc_timestamp('submission_timestamp') }} as date) as submission_date,

        ----------  for the readers: the raw partition column (their window filter) and the verdict
        submission_timestamp,
        {{ event_quarantine_reason('submission_timestamp', 'event') }} as quarantine_reason

    from source

)

select * from renamed
{% endmacro %}


{% macro stage_glean_events_stream(source_name) %}
{%- set window = event_window() -%}
with

kept as (

    select {{ star_except(['submission_timestamp', 'quarantine_reason']) }}
    from {{ ref('base_' ~ source_name ~ '__events_stream') }}
    where
        quarantine_reason is null
        and {{ event_read_filter('submission_timestamp', event_read(window, source_name, 'events_stream')) }}

),

deduplicated as (

    {{ deduplicate('kept', ['event_id'], ['submitted_at', 'document_id']) }}

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
