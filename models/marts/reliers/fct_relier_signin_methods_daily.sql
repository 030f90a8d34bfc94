-- Completed sign-ins per submission date and relier, by sign-in method and second factor,
-- with distinct accounts (Glean dates only: the legacy logs have no such events).
-- A sign-in is a flow's completion event (macro is_signin_completion: login.complete or
-- third_party_auth.{google,apple}_login_complete), counted once per flow and submission
-- date. Its relier (macro flow_relier_key, int_flows' rule), method and second factor
-- come from the flow's events submitted from var('flow_lifetime_days') before that date up to it
-- (the seed event_catalogue's signin_method and second_factor; precedence: macros
-- signin_method_of, second_factor_of): a deciding event submitted after the completion's
-- day does not count, so every run classifies a date the same way. A flow any of whose
-- events is not counted traffic is left out whole, as in int_flows.
-- Incremental on submission_date.

{{ config(**event_incremental_config(cluster_by=['relier_id', 'signin_method'])) }}
{%- set window = event_window() %}
{%- set reach = none if window is none else
    {'start': widen_window(window, var('flow_lifetime_days')).start, 'end': window.end} %}

with

flow_events as (

    select * from {{ ref('int_flow_events') }}
    where source_system = 'glean' and {{ window_filter_date('submission_date', reach) }}

),

catalogue as (

    select * from {{ ref('event_catalogue') }}
    where source_system = 'glean'

),

service_names as (

    select * from {{ ref('relier_service_names') }}

),

reliers as (

    select * from {{ ref('dim_reliers') }}

),

events as (

    select
        flow_events.flow_id,
        flow_events.event_id,
        flow_events.side,
        flow_events.relier_key,
        flow_events.user_id_sha256,
        flow_events.step_at,
        flow_events.submission_date,
        flow_events.is_counted_traffic,
        catalogue.signin_method,
        catalogue.second_factor,
        {{ is_signin_completion('catalogue.funnel_step', 'catalogue.concept') }} as is_completion
    from flow_events
    left join catalogue
        on flow_events.source_event_name = catalogue.event_name

),

-- one sign-in per flow and submission date: its first completion that day
signins as (

    select
        flow_id,
        submission_date,
        {{ value_at_min('user_id_sha256', ['step_at', 'event_id']) }} as user_id_sha256
    from events
    where
        is_completion
        and {{ window_filter_date('submission_date', window) }}
        and {{ source_system_of_date('submission_date') }} = 'glean'
    group by 1, 2

),

classified as (

    select
        signins.flow_id,
        signins.submission_date,
        signins.user_id_sha256,
        {{ flow_relier_key() }} as relier_key,
        {{ signin_method_of('events.signin_method') }} as signin_method,
        {{ second_factor_of('events.second_factor') }} as second_factor,
        min(case when events.is_counted_traffic then 1 else 0 end) = 1 as is_counted_traffic
    from signins
    inner join events
        on
            signins.flow_id = events.flow_id
            and signins.submission_date >= events.submission_date
            and {{ date_add_days('signins.submission_date', -(var('flow_lifetime_days') | int)) }}
            <= events.submission_date
    group by 1, 2, 3

),

daily as (

    select
        classified.submission_date,
        {{ relier_id_of('classified.relier_key', 'service_names') }} as relier_id,
        classified.signin_method,
        classified.second_factor,
        count(*) as signins,
        count(distinct classified.user_id_sha256) as signin_users
    from classified
    left join service_names
        on classified.relier_key = service_names.service_name
    where classified.is_counted_traffic
    group by 1, 2, 3, 4

),

final as (

    select
        daily.submission_date,
        daily.relier_id,
        reliers.relier_name,
        reliers.relier_group,
        daily.signin_method,
        daily.second_factor,
        daily.signins,
        daily.signin_users
    from daily
    left join reliers
        on daily.relier_id = reliers.relier_id

)

select * from final
