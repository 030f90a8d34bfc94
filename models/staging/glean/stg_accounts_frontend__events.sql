-- One row per accounts_frontend Glean event, deduplicated on event_id.
{{ stage_glean_events_stream('accounts_frontend') }}
