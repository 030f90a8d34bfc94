-- Telemetry coverage of signups: per day, accounts created in the accounts database vs
-- accounts with a registration-completed event, matched on user_id_sha256. An account
-- counts on the day it was created (database) or, when only telemetry knows it, on the
-- day of its first registration event. Telemetry-only accounts are usually deleted since
-- (the replica drops deleted accounts); those are counted apart. Registration events
-- the marts do not count (bots, the stage and development deployments:
-- macros/quality/traffic.sql) are not telemetry coverage: an account whose registration
-- was seen only there is counted apart too, so database-only accounts measure lost
-- telemetry. Registrations through Google or Apple count (their completion is
-- third_party_auth.*_reg_complete: seed event_catalogue).

with

accounts as (

    select * from {{ ref('stg_accounts_db_external__accounts') }}

),

deleted_accounts as (

    select * from {{ ref('stg_accounts_db_external__deleted_accounts') }}

),

account_events as (

    select * from {{ ref('int_account_events') }}

),

backend_events as (

    select * from {{ ref('stg_accounts_backend__events') }}

),

event_concepts as (

    select * from {{ ref('event_catalogue') }}
    where concept is not null

),

-- registrations seen only in traffic the marts leave out
excluded_traffic_registered as (

    select distinct backend_events.user_id_sha256
    from backend_events
    inner join event_concepts
        on
            event_concepts.source_system = 'glean'
            and backend_events.event = event_concepts.event_name
            and event_concepts.concept = 'registration_completed'
    where
        not backend_events.is_counted_traffic
        and backend_events.user_id_sha256 is not null
        and {{ source_system_of_date('backend_events.submission_date') }} = 'glean'

),

registered as (

    select
        user_id_sha256,
        min(submission_date) as registration_event_date
    from account_events
    where concept = 'registration_completed' and user_id_sha256 is not null
    group by 1

),

created as (

    select
        user_id_sha256,
        cast(created_at as date) as created_date
    from accounts

),

matched as (

    select
        coalesce(created.user_id_sha256, registered.user_id_sha256) as user_id_sha256,
        coalesce(created.created_date, registered.registration_event_date) as signup_date,
        created.user_id_sha256 is not null as is_in_database,
        registered.user_id_sha256 is not null as has_registration_event,
        excluded_traffic_registered.user_id_sha256 is not null as has_excluded_traffic_registration,
        deleted_accounts.user_id_sha256 is not null as is_deleted
    from created
    full outer join registered
        on created.user_id_sha256 = registered.user_id_sha256
    left join deleted_accounts
        on coalesce(created.user_id_sha256, registered.user_id_sha256) = deleted_accounts.user_id_sha256
    left join excluded_traffic_registered
        on coalesce(created.user_id_sha256, registered.user_id_sha256) = excluded_traffic_registered.user_id_sha256

),

telemetry_window as (

    select
        min(registration_event_date) as first_event_date,
        max(registration_event_date) as last_event_date
    from registered

),

final as (

    select
        matched.signup_date,
        count(case when matched.is_in_database then 1 end) as accounts_created_in_database,
        count(case when matched.has_registration_event then 1 end) as accounts_with_registration_event,
        count(case when matched.is_in_database and matched.has_registration_event then 1 end) as matched_accounts,
        count(
            case
                when
                    matched.is_in_database and not matched.has_registration_event
                    and not matched.has_excluded_traffic_registration
                    then 1
            end
        ) as database_only_accounts,
        count(
            case
                when
                    matched.is_in_database and not matched.has_registration_event
                    and matched.has_excluded_traffic_registration
                    then 1
            end
        ) as excluded_traffic_accounts,
        count(case when not matched.is_in_database and matched.has_registration_event then 1 end)
            as telemetry_only_accounts,
        count(case when not matched.is_in_database and matched.has_registration_event and matched.is_deleted then 1 end)
            as telemetry_only_deleted_accounts
    from matched
    cross join telemetry_window
    where matched.signup_date between telemetry_window.first_event_date and telemetry_window.last_event_date
    group by 1

)

select * from final
