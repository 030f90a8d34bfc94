-- One row per legacy Amplitude-format event of firefox_accounts.fxa_all_events, from its
-- base model (renames, casts, the verdict). The extracts are not deduplicated upstream:
-- exact re-shipped copies share the natural key (event_id) and are removed here. Malformed
-- hex ids are NULL; rows with a verdict (no usable log time, no event type) go to
-- int_quarantined_event_rows.

{{ config(**event_incremental_config(cluster_by=['event_type'])) }}
{%- set window = event_window() %}

with

kept as (

    select {{ star_except(['timestamp', 'quarantine_reason']) }}
    from {{ ref('base_firefox_accounts__fxa_all_events') }}
    where
        quarantine_reason is null
        and {{ event_read_filter('timestamp', event_read(window, 'firefox_accounts', 'fxa_all_events')) }}

),

deduplicated as (

    {{ deduplicate('kept', ['event_id'], ['submitted_at', 'received_at']) }}

)

select * from deduplicated
