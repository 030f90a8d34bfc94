-- One row per submission date, relier and account active that day: an account event of
-- the seed event_catalogue marked is_activity (Mozilla's definition, users_services_daily:
-- a completed registration or login, or an OAuth token created or checked for that relier).

{{ config(**event_incremental_config()) }}
{%- set window = event_window() %}

with

activity_events as (

    select * from {{ ref('event_catalogue') }}
    where is_activity

),

account_events as (

    select account_events.*
    from {{ ref('int_account_events') }} as account_events
    inner join activity_events
        on
            account_events.source_system = activity_events.source_system
            and account_events.source_event_name = activity_events.event_name
    where
        account_events.user_id_sha256 is not null
        and {{ window_filter_date('account_events.submission_date', window) }}

),

per_relier as (

    select
        submission_date,
        relier_id,
        user_id_sha256,
        count(*) as activity_events,
        count(case when concept = 'registration_completed' then event_id end) > 0 as has_registered
    from account_events
    group by 1, 2, 3

)

select * from per_relier
