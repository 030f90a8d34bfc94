-- Active accounts per day over all reliers: DAU, WAU, MAU and new accounts, counting
-- each account once however many reliers it used (not a sum of relier rows). Counted from
-- the accounts' active days (macros/activity/active_users.sql).

{{ config(**event_incremental_config(cluster_by=none)) }}

with

active_users as (

    {{ active_user_counts([], 'int_account_first_seen') }}

),

final as (

    select
        submission_date,
        dau,
        wau,
        mau,
        new_users
    from active_users

)

select * from final
