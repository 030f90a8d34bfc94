-- One row per day and account seen in the 28 days ending that day over all reliers, with
-- the 28-day bit fields of int_user_last_seen: an account is active on a day when it is
-- active with any relier, so its bits are the OR of its reliers' bits. New users over all
-- reliers: the account's first day with any relier (int_account_first_seen).

{{ config(**event_incremental_config(cluster_by=none)) }}
{%- set window = event_window() %}

with

relier_states as (

    select * from {{ ref('int_user_last_seen') }}
    where {{ window_filter_date('submission_date', window) }}

),

first_seen as (

    select * from {{ ref('int_account_first_seen') }}

),

state as (

    select
        submission_date,
        user_id_sha256,
        bit_or(days_seen_bits) as days_seen_bits,
        bit_or(days_registered_bits) as days_registered_bits
    from relier_states
    group by 1, 2

),

final as (

    select
        state.submission_date,
        state.user_id_sha256,
        state.days_seen_bits,
        state.days_registered_bits,
        first_seen.first_seen_date
    from state
    left join first_seen
        on state.user_id_sha256 = first_seen.user_id_sha256

)

select * from final
