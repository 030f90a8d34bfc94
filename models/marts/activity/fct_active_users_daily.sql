-- Active accounts per day over all reliers: DAU, WAU, MAU and new accounts, counting
-- each account once however many reliers it used (not a sum of relier rows).

{{ config(**event_incremental_config(cluster_by=none)) }}
{%- set window = event_window() %}

with

last_seen as (

    select * from {{ ref('int_account_last_seen') }}
    where {{ window_filter_date('submission_date', window) }}

),

final as (

    select
        submission_date,
        {{ active_user_measures() }}
    from last_seen
    group by 1

)

select * from final
