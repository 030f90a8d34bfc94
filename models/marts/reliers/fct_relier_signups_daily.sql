-- Completed registrations per submission date, relier and country. `signups` counts
-- distinct accounts; an event without an account id counts once per flow (or once per
-- event when it has no flow either): the signup rule of macros/marts/signups.sql. `registration_events` counts events: a Google or
-- Apple signup logs two (reg.complete and third_party_auth.*_reg_complete).

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

registrations as (

    select
        submission_date,
        relier_id,
        country_code,
        source_system,
        {{ signup_key() }} as signup_key
    from account_events
    where {{ is_signup_event() }}

),

daily as (

    select
        submission_date,
        relier_id,
        country_code,
        min(source_system) as source_system,
        count(distinct signup_key) as signups,
        count(*) as registration_events
    from registrations
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
        daily.signups,
        daily.registration_events
    from daily
    left join reliers
        on daily.relier_id = reliers.relier_id

)

select * from final
