-- Every event that carries a flow id, from both Glean applications and the three legacy
-- logs, in one shape: flow id, side (frontend or backend, from the table or log it came
-- from), the flow step it marks (seed event_catalogue;
-- NULL for the other events of the flow), relier key, account and times; for the
-- catalogue's error events, the error reason mapped to a bounded set (seed
-- auth_error_reasons, macro error_reason_of: a reason it does not list is 'other', so
-- the sender's free text never leaves staging). A flow's start and whether its frontend was seen
-- come from all of these, its steps from the step events only. Events without a flow id
-- are not flow events. Every event is kept with is_counted_traffic (Glean: production,
-- human traffic, macros/quality/traffic.sql; legacy: always): int_flows leaves out a flow
-- any of whose events is not counted, whole. Each event keeps the flow attribution it
-- carries (entrypoint, utm_source, utm_medium, utm_campaign; Glean `session.entrypoint` and
-- `utm.*`, the legacy user_properties and flow-log columns), bounded as free text. The
-- signup attribution mart takes a flow's first touch from them. Incremental on submission_date.

{{ config(**event_incremental_config(cluster_by=['step', 'flow_id'])) }}
{%- set window = event_window() %}

with

backend_events as (

    select * from {{ ref('stg_accounts_backend__events') }}
    where flow_id is not null and {{ window_filter_date('submission_date', window) }}

),

frontend_events as (

    select * from {{ ref('stg_accounts_frontend__events') }}
    where flow_id is not null and {{ window_filter_date('submission_date', window) }}

),

amplitude_events as (

    select * from {{ ref('stg_firefox_accounts__amplitude_events') }}

),

auth_flow_events as (

    select * from {{ ref('stg_firefox_accounts_derived__auth_flow_events') }}
    where flow_id is not null and {{ window_filter_date('submission_date', window) }}

),

content_flow_events as (

    select * from {{ ref('stg_firefox_accounts_derived__content_flow_events') }}
    where flow_id is not null and {{ window_filter_date('submission_date', window) }}

),

catalogue as (

    select * from {{ ref('event_catalogue') }}

),

error_reasons as (

    select * from {{ ref('auth_error_reasons') }}

),

-- both Glean tables are staged by one macro, so they share their columns
glean_rows as (

    select
        'backend' as side,
        backend_events.*
    from backend_events
    union all
    select
        'frontend' as side,
        frontend_events.*
    from frontend_events

),

glean_events as (

    select
        event_id,
        event,
        side,
        flow_id,
        user_id_sha256,
        {{ relier_key('relying_party_oauth_client_id', 'relying_party_service', 'has_invalid_service') }} as relier_key,
        extra_reason,
        coalesce(event_at, submitted_at) as step_at,
        submitted_at,
        submission_date,
        is_counted_traffic,
        entrypoint,
        utm_source,
        utm_medium,
        utm_campaign
    from glean_rows

),

-- the two legacy flow logs: the auth server (backend) and the content server (frontend)
flow_log_events as (

    select
        'backend' as side,
        flow_event_id,
        event,
        flow_id,
        service,
        has_invalid_service,
        logged_at,
        submission_date,
        entrypoint,
        utm_source,
        utm_medium,
        utm_campaign
    from auth_flow_events
    union all
    select
        'frontend' as side,
        flow_event_id,
        event,
        flow_id,
        service,
        has_invalid_service,
        logged_at,
        submission_date,
        entrypoint,
        utm_source,
        utm_medium,
        utm_campaign
    from content_flow_events

),

legacy_events as (

    select
        event_id,
        event_type as event,
        -- fxa_all_events merges the logs: `content` is the content server (frontend)
        case when fxa_log = 'content' then 'frontend' else 'backend' end as side,
        flow_id,
        user_id_sha256,
        {{ relier_key('oauth_client_id', 'service', 'has_invalid_service') }} as relier_key,
        coalesce(event_at, submitted_at) as step_at,
        submitted_at,
        submission_date,
        entrypoint,
        utm_source,
        utm_medium,
        utm_campaign
    from amplitude_events
    where flow_id is not null and {{ window_filter_date('submission_date', window) }}

    union all

    select
        flow_event_id as event_id,
        event,
        side,
        flow_id,
        cast(null as {{ dbt.type_string() }}) as user_id_sha256,
        {{ relier_key('cast(null as ' ~ dbt.type_string() ~ ')', 'service', 'has_invalid_service') }} as relier_key,
        logged_at as step_at,
        logged_at as submitted_at,
        submission_date,
        entrypoint,
        utm_source,
        utm_medium,
        utm_campaign
    from flow_log_events

),

flow_events as (

    select
        glean_events.event_id,
        'glean' as source_system,
        glean_events.flow_id,
        catalogue.funnel_step as step,
        glean_events.side,
        -- the name only of events in the catalogue: any other name is free text
        catalogue.event_name as source_event_name,
        case
            when catalogue.is_error
                then {{ error_reason_of('glean_events.extra_reason', 'error_reasons.error_reason') }}
        end as error_reason,
        glean_events.user_id_sha256,
        glean_events.relier_key,
        glean_events.step_at,
        glean_events.submitted_at,
        glean_events.submission_date,
        glean_events.is_counted_traffic,
        glean_events.entrypoint,
        glean_events.utm_source,
        glean_events.utm_medium,
        glean_events.utm_campaign
    from glean_events
    left join catalogue
        on catalogue.source_system = 'glean' and glean_events.event = catalogue.event_name
    left join error_reasons
        on {{ normalized_error_reason('glean_events.extra_reason') }} = error_reasons.reason_text

    union all

    select
        legacy_events.event_id,
        'legacy' as source_system,
        legacy_events.flow_id,
        catalogue.funnel_step as step,
        legacy_events.side,
        -- the name only of events in the catalogue: any other name is free text
        catalogue.event_name as source_event_name,
        -- the legacy logs carry no error events with a reason
        cast(null as {{ dbt.type_string() }}) as error_reason,
        legacy_events.user_id_sha256,
        legacy_events.relier_key,
        legacy_events.step_at,
        legacy_events.submitted_at,
        legacy_events.submission_date,
        -- the legacy logs are production by construction and carry no bot flag
        true as is_counted_traffic,
        legacy_events.entrypoint,
        legacy_events.utm_source,
        legacy_events.utm_medium,
        legacy_events.utm_campaign
    from legacy_events
    left join catalogue
        on catalogue.source_system = 'legacy' and legacy_events.event = catalogue.event_name

),

-- the flow's attribution as each event carries it, bounded (free text on the wire:
-- attribution_value_or_null, macros/quality/validation.sql)
attributed as (

    select
        {{ star_except(['entrypoint', 'utm_source', 'utm_medium', 'utm_campaign'], 'flow_events') }},
        {{ attribution_value_or_null('flow_events.entrypoint') }} as entrypoint,
        {{ attribution_value_or_null('flow_events.utm_source') }} as utm_source,
        {{ attribution_value_or_null('flow_events.utm_medium') }} as utm_medium,
        {{ attribution_value_or_null('flow_events.utm_campaign') }} as utm_campaign
    from flow_events

)

select * from attributed
