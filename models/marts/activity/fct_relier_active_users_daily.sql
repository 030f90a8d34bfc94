-- Active accounts per day and relier: DAU, WAU, MAU (distinct accounts active in the 1,
-- 7 and 28 days ending that day) and new users (first activity ever with the relier that
-- day). Active = completed registration or login, or an OAuth token created or checked.

{{ config(**event_incremental_config()) }}
{%- set window = event_window() %}

with

last_seen as (

    select * from {{ ref('int_user_last_seen') }}
    where {{ window_filter_date('submission_date', window) }}

),

reliers as (

    select * from {{ ref('dim_reliers') }}

),

daily as (

    select
        submission_date,
        relier_id,
        {{ active_user_measures() }}
    from last_seen
    group by 1, 2

),

final as (

    select
        daily.submission_date,
        daily.relier_id,
        reliers.relier_name,
        reliers.relier_group,
        daily.dau,
        daily.wau,
        daily.mau,
        daily.new_users
    from daily
    left join reliers
        on daily.relier_id = reliers.relier_id

)

select * from final
