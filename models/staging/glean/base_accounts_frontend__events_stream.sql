-- The only reader of accounts_frontend.events_stream: one row per raw row of what this run's
-- readers read, renamed and cast, with the verdict quarantine_reason (NULL: keep).
-- Read by stg_accounts_frontend__events (the kept rows) and int_quarantined_event_rows.
-- Ephemeral: inlined into each reader (macros/staging/base_reads.sql for its window).
{{ config(materialized='ephemeral') }}

{{ glean_events_stream_base('accounts_frontend') }}
