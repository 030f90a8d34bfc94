-- OAuth tokens created and checked per submission date and relier. No country: token
-- checks come from relier servers and carry no geo.

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
        min(source_system) as source_system,
        count(case when concept = 'oauth_token_created' then event_id end) as tokens_created,
        count(case when concept = 'oauth_token_checked' then event_id end) as tokens_checked,
        count(distinct user_id_sha256) as token_users
    from account_events
    where concept in ('oauth_token_created', 'oauth_token_checked')
    group by 1, 2

),

final as (

    select
        daily.submission_date,
        daily.relier_id,
        reliers.relier_name,
        reliers.relier_group,
        daily.source_system,
        daily.tokens_created,
        daily.tokens_checked,
        daily.token_users
    from daily
    left join reliers
        on daily.relier_id = reliers.relier_id

)

select * from final
