-- One row per flow id: frontend, backend and legacy flow events combined. A flow takes
-- its events from one system, decided like every other series by the Glean cutover:
-- flows that started before var('glean_cutover_date') from the legacy logs, later flows
-- from Glean.
--
-- Only flows whose every event is production, human traffic (int_flow_events.is_counted_traffic).
-- Rules, and the time each uses:
--   * the system (legacy or Glean) is decided by the flow's first submission date (a
--     server's clock): a client clock that says 1970 must not move a flow across the cutover;
--   * step times are event times (the sender's clock, kept only when plausible around its
--     submission: staging falls back to the submission time otherwise), so events that
--     arrive out of order or a day late still order correctly; the start is the earliest
--     event time of any event carrying the flow id, step or not, and so is has_frontend_events;
--   * steps (the *_at columns, the flow type) come from step events only;
--   * the relier of a flow is the one on its earliest backend event that names a relier,
--     else on its earliest frontend event, else 'unattributed' ('unknown_service' only
--     when no event names a valid one): the backend is reliable,
--     and a flow that changes relier midway (a user starting from one product's page and
--     signing in to another) counts for the product it completed on;
--   * the account is the one on the latest event that carries one, backend first;
--   * events at the same time are ordered by event id (earliest relier: smallest id;
--     latest account: largest id), the same on both engines.
--
-- Incremental by flow: a run rebuilds every flow with an event submitted in its window,
-- from that flow's events submitted within var('flow_lifetime_days') (default 3) of the
-- window (and every flow already built whose last event was submitted in the window or
-- up to var('flow_lifetime_days') after it, so that a day re-delivered with fewer events
-- shrinks or removes them), and keeps the other flows as they are. The bound keeps a daily run to a few
-- partitions of int_flow_events instead of its whole history. It is exact for every flow
-- whose events span at most that many days of submission dates (an FxA flow id expires two
-- hours after the flow begins; late submissions add a day or two). A flow that spans more
-- is rebuilt, when a run touches it, from its events inside the bound only: the earlier
-- ones no longer count (its start, steps and relier move to what the bound still holds),
-- where a full refresh would count them all. tests/python/test_incremental_properties.py
-- plants such a flow and checks exactly that.

{{ config(**keyed_incremental_config(
    unique_key='flow_id', cluster_by=['flow_type', 'relier_id'], window_column='last_submission_date',
    tombstone_column='source_system')) }}
{%- set window = event_window('last_submission_date') %}
{%- set lifetime_window = widen_window(window, var('flow_lifetime_days')) %}
{%- set rebuilds_known_flows = is_incremental() and window is not none %}

with

{% if rebuilds_known_flows -%}
-- flows already built that may have had events in the window: a day re-delivered with
-- fewer events (or none) must shrink them, or remove them (below) as a full build would
    known_flows_in_reach as (

        select flow_id from {{ this }}
        where {{ window_filter_date('last_submission_date', {'start': window.start, 'end': lifetime_window.end}) }}

    ),

{% endif -%}
flow_events as (

    select * from {{ ref('int_flow_events') }}
    where
        {{ window_filter_date('submission_date', lifetime_window) }}
        and (
            {{ window_keys_filter('flow_id', ref('int_flow_events'), window) }}
            {%- if rebuilds_known_flows %}
                or flow_id in (select known_flows_in_reach.flow_id from known_flows_in_reach)
            {%- endif %}
        )

),

service_names as (

    select * from {{ ref('relier_service_names') }}

),

-- the system of a flow, from its first submission: a server's clock, where an event
-- time is the sender's (a browser's clock can say 1970); and whether the flow is traffic
-- the marts count: all its events are (one stage or bot event makes the whole flow
-- another deployment's or a bot's, and dropping only that event would fake a lost
-- frontend)
flow_systems as (

    select
        flow_id,
        {{ source_system_of_date('cast(min(submitted_at) as date)') }} as source_system,
        min(case when is_counted_traffic then 1 else 0 end) = 1 as is_counted_traffic
    from flow_events
    group by 1

),

-- what each step event says about its flow: the kind of flow of its step, the provider
step_catalogue as (

    select * from {{ ref('event_catalogue') }}
    where funnel_step is not null

),

system_events as (

    select
        flow_events.*,
        step_catalogue.step_flow_type,
        step_catalogue.third_party_provider
    from flow_events
    inner join flow_systems
        on
            flow_events.flow_id = flow_systems.flow_id
            and flow_events.source_system = flow_systems.source_system
    left join step_catalogue
        on
            flow_events.source_system = step_catalogue.source_system
            and flow_events.source_event_name = step_catalogue.event_name
    where flow_systems.is_counted_traffic

),

aggregated as (

    select
        flow_id,
        min(source_system) as source_system,
        {{ flow_relier_key() }} as relier_key,
        {{ value_at_max('user_id_sha256', ["case when side = 'backend' then 1 else 0 end", 'step_at', 'event_id']) }}
            as user_id_sha256,
        max(submission_date) as last_submission_date,
        min(step_at) as started_at,
        max(step_at) as last_event_at,
        count(*) as flow_events,
        count(case when side = 'frontend' then 1 end) > 0 as has_frontend_events,
        count(case when side = 'backend' then 1 end) > 0 as has_backend_events,
        -- the first time the flow reached each step (macros/catalogue/flow_steps.sql: the
        -- steps of the seed event_catalogue)
        {%- for step in flow_steps() %}
            min(case when step = '{{ step }}' then step_at end) as {{ step }}_at,
        {%- endfor %}
        -- which kinds of flow its steps belong to (event_catalogue.step_flow_type)
        count(case when step_flow_type = 'registration' then 1 end) > 0 as has_registration_steps,
        count(case when step_flow_type = 'password_reset' then 1 end) > 0 as has_password_reset_steps,
        count(case when step_flow_type = 'login' then 1 end) > 0 as has_login_steps,
        -- Google first when a flow tried both
        coalesce(
            max(case when third_party_provider = 'google' then third_party_provider end),
            max(case when third_party_provider = 'apple' then third_party_provider end)
        ) as third_party_provider
    from system_events
    group by 1

),

final as (

    select
        aggregated.flow_id,
        aggregated.source_system,
        {{ relier_id_of('aggregated.relier_key', 'service_names') }} as relier_id,
        aggregated.user_id_sha256,
        case
            -- the user signed in with Google or Apple (started from the email-first,
            -- registration or login page, or a deep link); a start abandoned for a password
            -- completion is that registration or login
            when
                aggregated.third_party_complete_at is not null
                or (
                    aggregated.third_party_start_at is not null
                    and aggregated.reg_complete_at is null and aggregated.login_complete_at is null
                )
                then 'third_party'
            when aggregated.has_registration_steps then 'registration'
            -- a reset starts from the login page and may end signed in: the reset decides
            when aggregated.has_password_reset_steps then 'password_reset'
            when aggregated.has_login_steps then 'login'
            else 'entry_page_only'
        end as flow_type,
        aggregated.third_party_provider,
        aggregated.has_frontend_events,
        aggregated.has_backend_events,
        aggregated.flow_events,
        aggregated.started_at,
        cast(aggregated.started_at as date) as flow_start_date,
        aggregated.last_event_at,
        aggregated.last_submission_date,
        {%- for step in flow_steps() %}
            aggregated.{{ step }}_at{% if not loop.last %},{% endif %}
        {%- endfor %}
    from aggregated
    left join service_names
        on aggregated.relier_key = service_names.service_name

)

{%- if rebuilds_known_flows %}
    ,

    -- known flows in reach with no event left come out with every column but the id
    -- NULL (a NULL source_system), so the write deletes them (macros/cross_db/tombstones.sql);
    -- only the ids of int_flows are read for it
    rebuilt_flow_ids as (

        select flow_id from final
        union distinct
        select flow_id from known_flows_in_reach

    )

    select
        rebuilt_flow_ids.flow_id,
        {{ star_except(['flow_id'], 'final') }}
    from rebuilt_flow_ids
    left join final
        on rebuilt_flow_ids.flow_id = final.flow_id
{%- else %}

    select * from final
{%- endif %}
