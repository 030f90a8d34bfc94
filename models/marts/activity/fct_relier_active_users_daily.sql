-- Active accounts per day and relier: DAU, WAU, MAU (distinct accounts active in the 1,
-- 7 and 28 days ending that day) and new users (first activity ever with the relier that
-- day). Active = completed registration or login, or an OAuth token created or checked.
-- Counted from the accounts' active days (macros/activity/active_users.sql).

{{ config(**event_incremental_config()) }}

with

active_users as (

    {{ active_user_counts(['relier_id'], 'int_user_first_seen') }}

),

reliers as (

    select * from {{ ref('dim_reliers') }}

),

final as (

    select
        active_users.submission_date,
        active_users.relier_id,
        reliers.relier_name,
        reliers.relier_group,
        active_users.dau,
        active_users.wau,
        active_users.mau,
        active_users.new_users
    from active_users
    left join reliers
        on active_users.relier_id = reliers.relier_id

)

select * from final
