-- Failed registration and login submits per submission date, relier, flow type and error
-- reason, with the flows of that type to compare them with (Glean dates only: the
-- legacy logs have no error events). Error events are the seed event_catalogue's
-- is_error events (login.submit_frontend_error, login.submit_backend_error,
-- reg.submit_error); their flow type is the catalogue's step_flow_type and their reason
-- the bounded error_reason of int_flow_events (seed auth_error_reasons, else 'other').
-- A flow counts for a flow type on a day when it sent an event of that type that day
-- (any of its steps, errors, sign-in or second-factor events); it is attributed to the
-- relier of its earliest backend event that day that names one, else its earliest
-- frontend event (the int_flows rule, within the day). A flow any of whose events that
-- day is not counted traffic is left out. One row per reason seen, and a row with
-- error_reason 'none' for a flow type and relier with flows but no error that day, so
-- that every denominator is there. Incremental on submission_date.

{{ config(**event_incremental_config(cluster_by=['relier_id', 'flow_type'])) }}
{%- set window = event_window() %}

with

flow_events as (

    select * from {{ ref('int_flow_events') }}
    where
        source_system = 'glean'
        and {{ window_filter_date('submission_date', window) }}
        and {{ source_system_of_date('submission_date') }} = 'glean'

),

catalogue as (

    select * from {{ ref('event_catalogue') }}
    where source_system = 'glean' and step_flow_type in ('registration', 'login')

),

service_names as (

    select * from {{ ref('relier_service_names') }}

),

reliers as (

    select * from {{ ref('dim_reliers') }}

),

-- each flow's day: its relier and whether all its events that day are counted traffic
flow_days as (

    select
        submission_date,
        flow_id,
        {{ flow_relier_key() }} as relier_key,
        min(case when is_counted_traffic then 1 else 0 end) = 1 as is_counted_traffic
    from flow_events
    group by 1, 2

),

typed_events as (

    select
        flow_events.submission_date,
        flow_events.flow_id,
        catalogue.step_flow_type as flow_type,
        catalogue.is_error,
        flow_events.error_reason
    from flow_events
    inner join catalogue
        on flow_events.source_event_name = catalogue.event_name

),

counted_events as (

    select
        typed_events.*,
        {{ relier_id_of('flow_days.relier_key', 'service_names') }} as relier_id
    from typed_events
    inner join flow_days
        on
            typed_events.submission_date = flow_days.submission_date
            and typed_events.flow_id = flow_days.flow_id
    left join service_names
        on flow_days.relier_key = service_names.service_name
    where flow_days.is_counted_traffic

),

by_type as (

    select
        submission_date,
        relier_id,
        flow_type,
        count(distinct flow_id) as flows_started,
        count(distinct case when is_error then flow_id end) as flows_with_any_error
    from counted_events
    group by 1, 2, 3

),

by_reason as (

    select
        submission_date,
        relier_id,
        flow_type,
        error_reason,
        count(*) as error_events,
        count(distinct flow_id) as flows_with_error
    from counted_events
    where is_error
    group by 1, 2, 3, 4

    union all

    -- the flow types and reliers of a day without any error
    select
        submission_date,
        relier_id,
        flow_type,
        'none' as error_reason,
        0 as error_events,
        0 as flows_with_error
    from by_type
    where flows_with_any_error = 0

),

final as (

    select
        by_reason.submission_date,
        by_reason.relier_id,
        reliers.relier_name,
        reliers.relier_group,
        by_reason.flow_type,
        by_reason.error_reason,
        by_reason.error_events,
        by_reason.flows_with_error,
        by_type.flows_started,
        by_type.flows_with_any_error,
        round(100.0 * by_reason.flows_with_error / by_type.flows_started, 2) as pct_flows_with_error,
        round(100.0 * by_type.flows_with_any_error / by_type.flows_started, 2) as pct_flows_with_any_error
    from by_reason
    inner join by_type
        on
            by_reason.submission_date = by_type.submission_date
            and by_reason.relier_id = by_type.relier_id
            and by_reason.flow_type = by_type.flow_type
    left join reliers
        on by_reason.relier_id = reliers.relier_id

)

select * from final
