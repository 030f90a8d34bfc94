-- Signups per signup date, relier and first touch of the signup's flow: its entrypoint and
-- its utm_source, utm_medium and utm_campaign, with the signups' share of the relier's day.
-- A signup is the rule of fct_relier_signups_daily (macros/marts/signups.sql), on the
-- submission date of its registration event (the signup date). Its flow is that of its
-- earliest registration event that has one. First touch, as Mozilla's
-- fxa_users_services_daily_v2 / fxa_users_services_first_seen_v2 take it: the entrypoint
-- of the flow's earliest event that carries one, and the three utm values of the flow's
-- earliest event that carries any of them (one event's values together, never mixed).
-- The flow's events (int_flow_events, counted traffic, the signup's source system) count
-- when they were submitted on the signup date or in the var('flow_lifetime_days') days
-- before it: an event submitted later never changes a published day, so daily runs equal
-- a full refresh. A signup with no such event (no flow id) has NULL attribution.
-- Attribution values are bounded free text (int_flow_events, attribution_value_or_null).
-- Each signup is in exactly one row of its relier's day, so the shares sum to 1.

{{ config(**event_incremental_config(date_column='signup_date')) }}
{%- set window = event_window('signup_date') %}
{%- set touch_window = none if window is none else {
    'start': widen_window(window, var('flow_lifetime_days')).start, 'end': window.end} %}

with

account_events as (

    select * from {{ ref('int_account_events') }}
    where {{ window_filter_date('submission_date', window) }}

),

flow_events as (

    select * from {{ ref('int_flow_events') }}
    where
        is_counted_traffic
        and {{ window_filter_date('submission_date', touch_window) }}

),

reliers as (

    select * from {{ ref('dim_reliers') }}

),

-- one row per signup of a relier and day; its flow is that of its earliest registration
-- event with a flow id (a Google signup's two completions share one)
signups as (

    select
        submission_date as signup_date,
        relier_id,
        {{ signup_key() }} as signup_key,
        min(source_system) as source_system,
        {{ value_at_min('flow_id', ['coalesce(event_at, submitted_at)', 'event_id']) }} as flow_id
    from account_events
    where {{ is_signup_event() }}
    group by 1, 2, 3

),

-- the events of each signup's flow submitted up to its signup date, the earliest first;
-- utm_rank 1 is the earliest event carrying any utm value
flow_touches as (

    select
        signups.signup_date,
        signups.relier_id,
        signups.signup_key,
        flow_events.event_id,
        flow_events.step_at,
        flow_events.entrypoint,
        flow_events.utm_source,
        flow_events.utm_medium,
        flow_events.utm_campaign,
        row_number() over (
            partition by signups.signup_date, signups.relier_id, signups.signup_key
            order by
                case
                    when coalesce(flow_events.utm_source, flow_events.utm_medium, flow_events.utm_campaign) is null
                        then 1
                    else 0
                end,
                flow_events.step_at,
                flow_events.event_id
        ) as utm_rank
    from signups
    inner join flow_events
        on
            signups.flow_id = flow_events.flow_id
            and signups.source_system = flow_events.source_system
            and flow_events.submission_date
            between {{ date_add_days('signups.signup_date', -(var('flow_lifetime_days') | int)) }}
            and signups.signup_date

),

first_touches as (

    select
        signup_date,
        relier_id,
        signup_key,
        {{ value_at_min('entrypoint', ['step_at', 'event_id']) }} as entrypoint,
        max(case when utm_rank = 1 then utm_source end) as utm_source,
        max(case when utm_rank = 1 then utm_medium end) as utm_medium,
        max(case when utm_rank = 1 then utm_campaign end) as utm_campaign
    from flow_touches
    group by 1, 2, 3

),

daily as (

    select
        signups.signup_date,
        signups.relier_id,
        first_touches.entrypoint,
        first_touches.utm_source,
        first_touches.utm_medium,
        first_touches.utm_campaign,
        min(signups.source_system) as source_system,
        count(*) as signups
    from signups
    left join first_touches
        on
            signups.signup_date = first_touches.signup_date
            and signups.relier_id = first_touches.relier_id
            and signups.signup_key = first_touches.signup_key
    group by 1, 2, 3, 4, 5, 6

),

final as (

    select
        daily.signup_date,
        daily.relier_id,
        reliers.relier_name,
        reliers.relier_group,
        daily.entrypoint,
        daily.utm_source,
        daily.utm_medium,
        daily.utm_campaign,
        daily.source_system,
        daily.signups,
        1.0 * daily.signups / sum(daily.signups) over (partition by daily.signup_date, daily.relier_id)
            as signup_share
    from daily
    left join reliers
        on daily.relier_id = reliers.relier_id

)

select * from final
