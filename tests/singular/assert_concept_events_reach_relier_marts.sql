-- Every completed registration, completed login and OAuth token event in staging (on the
-- side of the Glean cutover that counts for its date; of Glean, the production, human
-- traffic the marts count: macros/quality/traffic.sql) lands in exactly one row of the
-- relier marts: per concept, staged events = the mart's additive event measure. A row
-- lost to attribution or duplicated by a join fails this test. A windowed run (daily,
-- backfill batch) checks its window's dates only.
{%- set window = explicit_run_window() %}

with

concepts as (

    select * from {{ ref('event_catalogue') }}
    where concept is not null

),

staged_events as (

    select
        concepts.concept,
        count(*) as staged_events
    from {{ ref('stg_accounts_backend__events') }} as backend_events
    inner join concepts
        on concepts.source_system = 'glean' and backend_events.event = concepts.event_name
    where
        {{ source_system_of_date('backend_events.submission_date') }} = 'glean'
        and backend_events.is_counted_traffic
        and {{ window_filter_date('backend_events.submission_date', window) }}
    group by 1

    union all

    select
        concepts.concept,
        count(*) as staged_events
    from {{ ref('stg_firefox_accounts__amplitude_events') }} as legacy_events
    inner join concepts
        on concepts.source_system = 'legacy' and legacy_events.event_type = concepts.event_name
    where
        {{ source_system_of_date('legacy_events.submission_date') }} = 'legacy'
        and {{ window_filter_date('legacy_events.submission_date', window) }}
    group by 1

),

staged_totals as (

    select
        concept,
        sum(staged_events) as staged_events
    from staged_events
    group by 1

),

mart_totals as (

    select
        'registration_completed' as concept,
        sum(registration_events) as mart_events
    from {{ ref('fct_relier_signups_daily') }}
    where {{ window_filter_date('submission_date', window) }}

    union all

    select
        'login_completed' as concept,
        sum(logins) as mart_events
    from {{ ref('fct_relier_logins_daily') }}
    where {{ window_filter_date('submission_date', window) }}

    union all

    select
        'oauth_token_created' as concept,
        sum(tokens_created) as mart_events
    from {{ ref('fct_relier_oauth_usage_daily') }}
    where {{ window_filter_date('submission_date', window) }}

    union all

    select
        'oauth_token_checked' as concept,
        sum(tokens_checked) as mart_events
    from {{ ref('fct_relier_oauth_usage_daily') }}
    where {{ window_filter_date('submission_date', window) }}

)

select
    coalesce(staged_totals.concept, mart_totals.concept) as concept,
    staged_totals.staged_events,
    mart_totals.mart_events
from staged_totals
full outer join mart_totals
    on staged_totals.concept = mart_totals.concept
where coalesce(staged_totals.staged_events, 0) != coalesce(mart_totals.mart_events, 0)
