-- Frontend delivery loss: per flow start date and relier, the flows that completed on the
-- backend (registration, login or third-party completion) and the share of them with no
-- frontend event at all. Every completed flow showed the user at least one page, so a
-- completed flow without frontend events is an estimate of frontend event loss.

with

flows as (

    select * from {{ ref('int_flows') }}

),

reliers as (

    select * from {{ ref('dim_reliers') }}

),

completed_flows as (

    select *
    from flows
    where coalesce(reg_complete_at, login_complete_at, third_party_complete_at) is not null

),

daily as (

    select
        flow_start_date,
        relier_id,
        min(source_system) as source_system,
        count(*) as completed_flows,
        count(case when not has_frontend_events then flow_id end) as completed_flows_without_frontend
    from completed_flows
    group by 1, 2

),

final as (

    select
        daily.flow_start_date,
        daily.relier_id,
        reliers.relier_name,
        reliers.relier_group,
        daily.source_system,
        daily.completed_flows,
        daily.completed_flows_without_frontend,
        round(100.0 * daily.completed_flows_without_frontend / daily.completed_flows, 2)
            as pct_without_frontend
    from daily
    left join reliers
        on daily.relier_id = reliers.relier_id

)

select * from final
