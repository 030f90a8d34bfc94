-- One row per account: the first day it was active with any relier (new users over all
-- reliers). State kept across runs; the rule is macros/activity/first_seen.sql, shared
-- with int_user_first_seen.

{{ config(**keyed_incremental_config(
    unique_key='user_id_sha256', cluster_by=['user_id_sha256'], window_column='first_seen_date',
    tombstone_column='first_seen_date')) }}

{{ first_seen_state(['user_id_sha256']) }}
