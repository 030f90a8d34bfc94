-- Login flows per flow start date and relier, and how many reached each step within
-- var('funnel_window_hours') of the flow's start (default 24 hours, across midnight).
-- Steps are counted independently, so lost frontend events do not hide completions.

with

flows as (

    select * from {{ ref('int_flows') }}

),

reliers as (

    select * from {{ ref('dim_reliers') }}

),

login_flows as (

    select
        *,
        {{ timestamp_add_hours('started_at', var('funnel_window_hours')) }} as window_ends_at
    from flows
    where flow_type = 'login'

),

daily as (

    select
        flow_start_date,
        relier_id,
        min(source_system) as source_system,
        count(*) as flows_started,
        count(case when entry_page_view_at <= window_ends_at then flow_id end) as reached_entry_page_view,
        count(case when login_view_at <= window_ends_at then flow_id end) as reached_login_view,
        count(case when login_submit_at <= window_ends_at then flow_id end) as reached_login_submit,
        count(case when login_success_at <= window_ends_at then flow_id end) as reached_login_success,
        count(case when login_complete_at <= window_ends_at then flow_id end) as reached_login_complete,
        count(case when login_complete_at <= window_ends_at and not has_frontend_events then flow_id end)
            as completed_without_frontend_events
    from login_flows
    group by 1, 2

),

final as (

    select
        daily.flow_start_date,
        daily.relier_id,
        reliers.relier_name,
        reliers.relier_group,
        daily.source_system,
        daily.flows_started,
        daily.reached_entry_page_view,
        daily.reached_login_view,
        daily.reached_login_submit,
        daily.reached_login_success,
        daily.reached_login_complete,
        daily.completed_without_frontend_events
    from daily
    left join reliers
        on daily.relier_id = reliers.relier_id

)

select * from final
