-- Completed logins per submission date, relier and country: events (after dedup in
-- staging) and distinct accounts.

{{ config(**event_incremental_config()) }}
{%- set window = event_window() %}

with

account_events as (

    select * from {{ ref('int_account_events') }}
    where {{ window_filter_date('submission_date', window) }}

),

reliers as (

    select * from {{ ref('dim_reliers') }}

),

daily as (

    select
        submission_date,
        relier_id,
        country_code,
        min(source_system) as source_system,
        count(*) as logins,
        count(distinct user_id_sha256) as login_users
    from account_events
    where concept = 'login_completed'
    group by 1, 2, 3

),

final as (

    select
        daily.submission_date,
        daily.relier_id,
        reliers.relier_name,
        reliers.relier_group,
        daily.country_code,
        daily.source_system,
        daily.logins,
        daily.login_users
    from daily
    left join reliers
        on daily.relier_id = reliers.relier_id

)

select * from final
