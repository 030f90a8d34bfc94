{#-
    The SELECT of a funnel mart: flows of one `flow_type` per flow start date and relier,
    and how many reached each step within var('funnel_window_hours') of the flow's start
    (across midnight). Steps are counted independently, so a completion counts even when
    a lost frontend event hides an earlier step.

    The funnel of a flow type (its reached_* columns, their steps and its completion step)
    is macros/catalogue/flow_steps.sql: funnel_definition; a step's time is its int_flows
    column `<step>_at`.
-#}
{% macro flow_funnel_daily(flow_type) %}
{%- set funnel = funnel_definition(flow_type) %}
{%- set steps = [] %}
{%- for column, step in funnel.steps %}
    {%- do steps.append((column, step ~ '_at')) %}
{%- endfor %}
{%- set completed_at = funnel.completion_step ~ '_at' %}
with

flows as (

    select * from {{ ref('int_flows') }}

),

reliers as (

    select * from {{ ref('dim_reliers') }}

),

typed_flows as (

    select
        *,
        {{ timestamp_add_hours('started_at', var('funnel_window_hours')) }} as window_ends_at
    from flows
    where flow_type = '{{ flow_type }}'

),

daily as (

    select
        flow_start_date,
        relier_id,
        min(source_system) as source_system,
        count(*) as flows_started,
        {%- for column, step_at in steps %}
        count(case when {{ step_at }} <= window_ends_at then flow_id end) as {{ column }},
        {%- endfor %}
        count(case when {{ completed_at }} <= window_ends_at and not has_frontend_events then flow_id end)
            as completed_without_frontend_events
    from typed_flows
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
        {%- for column, step_at in steps %}
        daily.{{ column }},
        {%- endfor %}
        daily.completed_without_frontend_events
    from daily
    left join reliers
        on daily.relier_id = reliers.relier_id

)

select * from final
{% endmacro %}
