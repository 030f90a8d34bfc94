-- Registration flows per flow start date and relier, and how many reached each step
-- within var('funnel_window_hours') of the flow's start (default 24 hours, across
-- midnight). Steps are counted independently: a flow that completed on the backend
-- counts as complete even when its frontend view was lost.

with

flows as (

    select * from {{ ref('int_flows') }}

),

reliers as (

    select * from {{ ref('dim_reliers') }}

),

registration_flows as (

    select
        *,
        {{ timestamp_add_hours('started_at', var('funnel_window_hours')) }} as window_ends_at
    from flows
    where flow_type = 'registration'

),

daily as (

    select
        flow_start_date,
        relier_id,
        min(source_system) as source_system,
        count(*) as flows_started,
        count(case when entry_page_view_at <= window_ends_at then flow_id end) as reached_entry_page_view,
        count(case when reg_view_at <= window_ends_at then flow_id end) as reached_reg_view,
        count(case when reg_submit_at <= window_ends_at then flow_id end) as reached_reg_submit,
        count(case when reg_acc_created_at <= window_ends_at then flow_id end) as reached_account_created,
        count(case when reg_acc_verified_at <= window_ends_at then flow_id end) as reached_account_verified,
        count(case when reg_complete_at <= window_ends_at then flow_id end) as reached_reg_complete,
        count(case when reg_complete_at <= window_ends_at and not has_frontend_events then flow_id end)
            as completed_without_frontend_events
    from registration_flows
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
        daily.reached_reg_view,
        daily.reached_reg_submit,
        daily.reached_account_created,
        daily.reached_account_verified,
        daily.reached_reg_complete,
        daily.completed_without_frontend_events
    from daily
    left join reliers
        on daily.relier_id = reliers.relier_id

)

select * from final
