-- One row per relier and account: the first day the account was active with the relier.
-- State kept across runs; the rule (full build, incremental recomputation, tombstones) is
-- macros/activity/first_seen.sql, shared with int_account_first_seen.

{{ config(**keyed_incremental_config(
    unique_key=['relier_id', 'user_id_sha256'], cluster_by=['relier_id'], window_column='first_seen_date',
    tombstone_column='first_seen_date')) }}

{{ first_seen_state(['relier_id', 'user_id_sha256']) }}
