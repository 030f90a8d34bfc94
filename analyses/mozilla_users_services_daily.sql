-- What Mozilla's accounts_backend_derived.users_services_daily_v1 would hold for these raw
-- events: one row per submission date, account and service, written in this project's SQL
-- from that definition (bigquery-etl sql/moz-fx-data-shared-prod/accounts_backend_derived/
-- users_services_daily_v1/query.sql):
--   * events: access_token_checked, access_token_created, reg_complete, login_complete of
--     accounts_backend, every deployment and bots included (no channel or bot filter);
--   * service: the client id, or the service when the client id is '' (no `sync`
--     mapping, so one relier can have several keys; '' survives);
--   * country NULL for access_token_checked; seen_in_tier1_country compares geo.country
--     with English names ('United States', ...), while geo.country holds ISO codes;
--   * first row per (account, service, date): distinct accounts.
-- Beside Mozilla's columns, the facts tests/python/test_mozilla_comparison.py needs to
-- name each deliberate difference: whether any of the rows was production, human traffic
-- (macros/quality/traffic.sql), the relier id this project gives the row's key, and the
-- tier-1 flag computed on codes. Not a model: compiled and run by that test only.

with

events as (

    select
        cast({{ to_utc_timestamp('submission_timestamp') }} as date) as submission_date,
        metrics.string.account_user_id_sha256 as user_id_sha256,
        case
            when metrics.string.relying_party_oauth_client_id = '' then metrics.string.relying_party_service
            else metrics.string.relying_party_oauth_client_id
        end as service,
        case when event != 'access_token.checked' then metadata.geo.country end as country,
        {{ is_counted_traffic(normalized_app_channel(), 'is_bot_generated') }}
            as is_counted_traffic,
        {{ relier_key(
            valid_hex_or_null('metrics.string.relying_party_oauth_client_id', 16),
            valid_service_or_null('metrics.string.relying_party_service'),
            is_invalid_service('metrics.string.relying_party_service')) }} as relier_key,
        event
    from {{ source('accounts_backend', 'events_stream') }}
    where
        {{ full_history_filter('submission_timestamp') }}
        and event in ('access_token.checked', 'access_token.created', 'reg.complete', 'login.complete')

),

service_names as (

    select * from {{ ref('relier_service_names') }}

)

select
    events.submission_date,
    events.user_id_sha256,
    events.service,
    {{ relier_id_of('events.relier_key', 'service_names') }} as project_relier_id,
    coalesce(
        max(case when events.country in ('United States', 'France', 'Germany', 'United Kingdom', 'Canada') then 1 end),
        0
    ) = 1 as seen_in_tier1_country,
    coalesce(max(case when events.country in ('US', 'FR', 'DE', 'GB', 'CA') then 1 end), 0) = 1
        as seen_in_tier1_country_code,
    coalesce(max(case when events.event = 'reg.complete' then 1 end), 0) = 1 as registered,
    coalesce(max(case when events.is_counted_traffic then 1 end), 0) = 1 as has_counted_traffic
from events
left join service_names
    on events.relier_key = service_names.service_name
group by 1, 2, 3, 4
