-- Every event that marks a step of a registration or login flow, from both Glean
-- applications and the three legacy logs, in one shape: flow id, step, side (frontend or
-- backend), relier key, account and times. Events without a flow id are not flow events.
-- The step vocabulary is the seed flow_step_events. Incremental on submission_date.

{{ config(**event_incremental_config(cluster_by=['step', 'flow_id'])) }}
{%- set window = event_window() %}

with

backend_events as (

    select * from {{ ref('stg_accounts_backend__events') }}

),

frontend_events as (

    select * from {{ ref('stg_accounts_frontend__events') }}

),

amplitude_events as (

    select * from {{ ref('stg_firefox_accounts__amplitude_events') }}

),

auth_flow_events as (

    select * from {{ ref('stg_firefox_accounts_derived__auth_flow_events') }}

),

content_flow_events as (

    select * from {{ ref('stg_firefox_accounts_derived__content_flow_events') }}

),

flow_steps as (

    select * from {{ ref('flow_step_events') }}

),

glean_events as (

    select
        event_id,
        event,
        flow_id,
        user_id_sha256,
        {{ relier_key('relying_party_oauth_client_id', 'relying_party_service') }} as relier_key,
        coalesce(event_at, submitted_at) as step_at,
        submitted_at,
        submission_date
    from backend_events
    where flow_id is not null and {{ window_filter_date('submission_date', window) }}

    union all

    select
        event_id,
        event,
        flow_id,
        user_id_sha256,
        {{ relier_key('relying_party_oauth_client_id', 'relying_party_service') }} as relier_key,
        coalesce(event_at, submitted_at) as step_at,
        submitted_at,
        submission_date
    from frontend_events
    where flow_id is not null and {{ window_filter_date('submission_date', window) }}

),

legacy_events as (

    select
        event_id,
        event_type as event,
        flow_id,
        user_id_sha256,
        {{ relier_key('oauth_client_id', 'service') }} as relier_key,
        coalesce(event_at, submitted_at) as step_at,
        submitted_at,
        submission_date
    from amplitude_events
    where flow_id is not null and {{ window_filter_date('submission_date', window) }}

    union all

    select
        flow_event_id as event_id,
        event,
        flow_id,
        cast(null as {{ dbt.type_string() }}) as user_id_sha256,
        {{ relier_key('cast(null as ' ~ dbt.type_string() ~ ')', 'service') }} as relier_key,
        logged_at as step_at,
        logged_at as submitted_at,
        submission_date
    from auth_flow_events
    where flow_id is not null and {{ window_filter_date('submission_date', window) }}

    union all

    select
        flow_event_id as event_id,
        event,
        flow_id,
        cast(null as {{ dbt.type_string() }}) as user_id_sha256,
        {{ relier_key('cast(null as ' ~ dbt.type_string() ~ ')', 'service') }} as relier_key,
        logged_at as step_at,
        logged_at as submitted_at,
        submission_date
    from content_flow_events
    where flow_id is not null and {{ window_filter_date('submission_date', window) }}

),

stepped as (

    select
        glean_events.event_id,
        'glean' as source_system,
        glean_events.flow_id,
        flow_steps.step,
        flow_steps.side,
        glean_events.event as source_event_name,
        glean_events.user_id_sha256,
        glean_events.relier_key,
        glean_events.step_at,
        glean_events.submitted_at,
        glean_events.submission_date
    from glean_events
    inner join flow_steps
        on flow_steps.source_system = 'glean' and glean_events.event = flow_steps.event_name

    union all

    select
        legacy_events.event_id,
        'legacy' as source_system,
        legacy_events.flow_id,
        flow_steps.step,
        flow_steps.side,
        legacy_events.event as source_event_name,
        legacy_events.user_id_sha256,
        legacy_events.relier_key,
        legacy_events.step_at,
        legacy_events.submitted_at,
        legacy_events.submission_date
    from legacy_events
    inner join flow_steps
        on flow_steps.source_system = 'legacy' and legacy_events.event = flow_steps.event_name

)

select * from stepped
