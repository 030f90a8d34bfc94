-- One row per submission date, relier and account active that day: an account event of
-- the seed event_catalogue marked is_activity (Mozilla's definition, users_services_daily:
-- a completed registration or login, or an OAuth token created or checked for that relier). Rows with relier_id 'all_reliers' hold the same
-- accounts over all reliers, so cross-relier counts are distinct accounts, not sums.

{{ config(**event_incremental_config()) }}
{%- set window = event_window() %}

with

account_events as (

    select * from {{ ref('int_account_events') }}
    where is_activity and user_id_sha256 is not null and {{ window_filter_date('submission_date', window) }}

),

per_relier as (

    select
        submission_date,
        relier_id,
        user_id_sha256,
        count(*) as activity_events,
        count(case when concept = 'registration_completed' then event_id end) > 0 as has_registered
    from account_events
    group by 1, 2, 3

),

all_reliers as (

    select
        submission_date,
        'all_reliers' as relier_id,
        user_id_sha256,
        count(*) as activity_events,
        count(case when concept = 'registration_completed' then event_id end) > 0 as has_registered
    from account_events
    group by 1, 3

),

final as (

    select * from per_relier
    union all
    select * from all_reliers

)

select * from final
