-- One row per accounts_backend Glean event, deduplicated on event_id.
{{ stage_glean_events_stream('accounts_backend') }}
