-- The account events of the seed event_catalogue (its rows with a concept): completed
-- registrations and logins, OAuth tokens created and checked, across Glean and the legacy
-- logs, each attributed to a relier (which of them count as activity is the catalogue's
-- is_activity: int_user_activity_daily). Each submission date comes from exactly one
-- system (source_system_of_date: legacy before var('glean_cutover_date'), Glean
-- (accounts_backend) on and after it). Glean events count
-- only when they are production, human traffic (is_counted_traffic). Country: the code
-- of the event, for legacy rows the `country_code` column, else the code of the logged
-- country name (case and spaces ignored); NULL for events whose geo is not the user's
-- (token checks come from relier back-ends: seed event_catalogue.has_user_geo).
-- Incremental on submission_date (see macros/incremental/event_window.sql).

{{ config(**event_incremental_config()) }}
{%- set window = event_window() %}

with

backend_events as (

    select * from {{ ref('stg_accounts_backend__events') }}

),

legacy_events as (

    select * from {{ ref('stg_firefox_accounts__amplitude_events') }}

),

event_concepts as (

    select * from {{ ref('event_catalogue') }}
    where concept is not null

),

service_names as (

    select * from {{ ref('relier_service_names') }}

),

country_names as (

    select * from {{ ref('country_names') }}

),

glean_concept_events as (

    select
        backend_events.event_id,
        'glean' as source_system,
        event_concepts.concept,
        backend_events.event as source_event_name,
        {{ relier_key(
            'backend_events.relying_party_oauth_client_id', 'backend_events.relying_party_service',
            'backend_events.has_invalid_service') }} as relier_key,
        backend_events.user_id_sha256,
        backend_events.flow_id,
        case when event_concepts.has_user_geo then backend_events.country_code end as country_code,
        backend_events.event_at,
        backend_events.submitted_at,
        backend_events.submission_date
    from backend_events
    inner join event_concepts
        on
            event_concepts.source_system = 'glean'
            and backend_events.event = event_concepts.event_name
    where
        {{ source_system_of_date('backend_events.submission_date') }} = 'glean'
        and backend_events.is_counted_traffic
        and {{ window_filter_date('backend_events.submission_date', window) }}

),

legacy_concept_events as (

    select
        legacy_events.event_id,
        'legacy' as source_system,
        event_concepts.concept,
        legacy_events.event_type as source_event_name,
        {{ relier_key('legacy_events.oauth_client_id', 'legacy_events.service', 'legacy_events.has_invalid_service') }}
            as relier_key,
        legacy_events.user_id_sha256,
        legacy_events.flow_id,
        case
            when event_concepts.has_user_geo then coalesce(legacy_events.country_code, country_names.country_code)
        end as country_code,
        legacy_events.event_at,
        legacy_events.submitted_at,
        legacy_events.submission_date
    from legacy_events
    inner join event_concepts
        on
            event_concepts.source_system = 'legacy'
            and legacy_events.event_type = event_concepts.event_name
    left join country_names
        on
            {{ normalized_country_name('legacy_events.country_name') }}
            = {{ normalized_country_name('country_names.country_name') }}
    where
        {{ source_system_of_date('legacy_events.submission_date') }} = 'legacy'
        and {{ window_filter_date('legacy_events.submission_date', window) }}

),

unioned as (

    select * from glean_concept_events
    union all
    select * from legacy_concept_events

),

attributed as (

    select
        unioned.event_id,
        unioned.source_system,
        unioned.concept,
        unioned.source_event_name,
        unioned.relier_key,
        {{ relier_id_of('unioned.relier_key', 'service_names') }} as relier_id,
        unioned.user_id_sha256,
        unioned.flow_id,
        unioned.country_code,
        unioned.event_at,
        unioned.submitted_at,
        unioned.submission_date
    from unioned
    left join service_names
        on unioned.relier_key = service_names.service_name

)

select * from attributed
