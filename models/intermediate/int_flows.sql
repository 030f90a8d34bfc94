-- One row per flow id: frontend, backend and legacy flow events combined. A flow takes
-- its events from one system, decided like every other series by the Glean cutover:
-- flows that started before var('glean_cutover_date') from the legacy logs, later flows
-- from Glean.
--
-- Rules:
--   * step times are event times (the sender's clock; submission time when missing), so
--     events that arrive out of order or a day late still order correctly;
--   * the relier of a flow is the one on its earliest backend event that names a relier,
--     else on its earliest frontend event, else 'unattributed': the backend is reliable,
--     and a flow that changes relier midway (a user starting from one product's page and
--     signing in to another) counts for the product it completed on;
--   * the account is the one on the latest event that carries one, backend first;
--   * events at the same time are ordered by event id (earliest relier: smallest id;
--     latest account: largest id), the same on both engines.
--
-- Incremental by flow: a run rebuilds every flow with an event submitted in its window,
-- from that flow's events submitted within var('flow_lifetime_days') (default 3) of the
-- window, and keeps the other flows as they are. The bound keeps a daily run to a few
-- partitions of int_flow_events instead of its whole history. It is exact for every flow
-- whose events span at most that many days of submission dates (an FxA flow id expires two
-- hours after the flow begins; late submissions add a day or two). A flow that spans more
-- is rebuilt, when a run touches it, from its events inside the bound only: the earlier
-- ones no longer count (its start, steps and relier move to what the bound still holds),
-- where a full refresh would count them all. tests/python/test_incremental_properties.py
-- plants such a flow and checks exactly that.

{{ config(**keyed_incremental_config(
    unique_key='flow_id', cluster_by=['flow_type', 'relier_id'], window_column='last_submission_date')) }}
{%- set window = event_window('last_submission_date') %}
{%- set lifetime_window = widen_window(window, var('flow_lifetime_days')) %}

with

flow_events as (

    select * from {{ ref('int_flow_events') }}
    where
        {{ window_filter_date('submission_date', lifetime_window) }}
        and {{ window_keys_filter('flow_id', ref('int_flow_events'), window) }}

),

service_names as (

    select * from {{ ref('relier_service_names') }}

),

flow_starts as (

    select
        flow_id,
        min(step_at) as started_at
    from flow_events
    group by 1

),

system_events as (

    select flow_events.*
    from flow_events
    inner join flow_starts
        on flow_events.flow_id = flow_starts.flow_id
    where
        (
            flow_events.source_system = 'legacy'
            and cast(flow_starts.started_at as date) < cast('{{ var("glean_cutover_date") }}' as date)
        )
        or (
            flow_events.source_system = 'glean'
            and cast(flow_starts.started_at as date) >= cast('{{ var("glean_cutover_date") }}' as date)
        )

),

aggregated as (

    select
        flow_id,
        min(source_system) as source_system,
        {{ value_at_min('relier_key', ["case when side = 'backend' then 0 else 1 end", 'step_at', 'event_id']) }}
            as relier_key,
        {{ value_at_max('user_id_sha256', ["case when side = 'backend' then 1 else 0 end", 'step_at', 'event_id']) }}
            as user_id_sha256,
        max(submission_date) as last_submission_date,
        min(step_at) as started_at,
        max(step_at) as last_event_at,
        count(*) as flow_events,
        count(case when side = 'frontend' then 1 end) > 0 as has_frontend_events,
        count(case when side = 'backend' then 1 end) > 0 as has_backend_events,
        min(case when step = 'entry_page_view' then step_at end) as entry_page_view_at,
        min(case when step = 'entry_page_submit' then step_at end) as entry_page_submit_at,
        min(case when step = 'reg_view' then step_at end) as reg_view_at,
        min(case when step = 'reg_submit' then step_at end) as reg_submit_at,
        min(case when step = 'reg_acc_created' then step_at end) as reg_acc_created_at,
        min(case when step = 'reg_acc_verified' then step_at end) as reg_acc_verified_at,
        min(case when step = 'reg_complete' then step_at end) as reg_complete_at,
        min(case when step = 'login_view' then step_at end) as login_view_at,
        min(case when step = 'login_submit' then step_at end) as login_submit_at,
        min(case when step = 'login_success' then step_at end) as login_success_at,
        min(case when step = 'login_complete' then step_at end) as login_complete_at,
        min(case when step = 'third_party_start' then step_at end) as third_party_start_at,
        min(case when step = 'third_party_complete' then step_at end) as third_party_complete_at,
        max(case when step like 'third_party%' and source_event_name like '%google%' then 'google' end)
            as third_party_google,
        max(case when step like 'third_party%' and source_event_name like '%apple%' then 'apple' end)
            as third_party_apple
    from system_events
    group by 1

),

final as (

    select
        aggregated.flow_id,
        aggregated.source_system,
        case
            when aggregated.relier_key is null then 'unattributed'
            else coalesce(service_names.relier_id, aggregated.relier_key)
        end as relier_id,
        aggregated.user_id_sha256,
        case
            when
                coalesce(
                    aggregated.reg_view_at, aggregated.reg_submit_at, aggregated.reg_acc_created_at,
                    aggregated.reg_acc_verified_at, aggregated.reg_complete_at
                ) is not null
                then 'registration'
            when
                coalesce(
                    aggregated.login_view_at, aggregated.login_submit_at,
                    aggregated.login_success_at, aggregated.login_complete_at
                ) is not null
                then 'login'
            when coalesce(aggregated.third_party_start_at, aggregated.third_party_complete_at) is not null
                then 'third_party'
            else 'entry_page_only'
        end as flow_type,
        coalesce(aggregated.third_party_google, aggregated.third_party_apple) as third_party_provider,
        aggregated.has_frontend_events,
        aggregated.has_backend_events,
        aggregated.flow_events,
        aggregated.started_at,
        cast(aggregated.started_at as date) as flow_start_date,
        aggregated.last_event_at,
        aggregated.last_submission_date,
        aggregated.entry_page_view_at,
        aggregated.entry_page_submit_at,
        aggregated.reg_view_at,
        aggregated.reg_submit_at,
        aggregated.reg_acc_created_at,
        aggregated.reg_acc_verified_at,
        aggregated.reg_complete_at,
        aggregated.login_view_at,
        aggregated.login_submit_at,
        aggregated.login_success_at,
        aggregated.login_complete_at,
        aggregated.third_party_start_at,
        aggregated.third_party_complete_at
    from aggregated
    left join service_names
        on aggregated.relier_key = service_names.service_name

)

select * from final
