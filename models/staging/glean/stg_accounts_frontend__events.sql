-- One row per accounts_frontend Glean event, deduplicated on event_id.
{{ config(**event_incremental_config(cluster_by=['event_category', 'event_name'])) }}

{{ stage_glean_events_stream('accounts_frontend') }}
