-- One row per relier and account (and per account over 'all_reliers'): the first day it
-- was ever active. Per-account state kept across runs: a run only reads the activity of
-- its window and keeps the earlier of the known and the new first date.

{{ config(**keyed_incremental_config(
    unique_key=['relier_id', 'user_id_sha256'], cluster_by=['relier_id'], window_column='first_seen_date')) }}
{%- set window = event_window('first_seen_date') %}
{#- On a full build nothing is known yet: the window's own dates stand in for it. -#}
{%- set known_relation = this if is_incremental() else 'window_first_seen' %}

with

activity as (

    select * from {{ ref('int_user_activity_daily') }}
    where {{ window_filter_date('submission_date', window) }}

),

window_first_seen as (

    select
        relier_id,
        user_id_sha256,
        min(submission_date) as first_seen_date
    from activity
    group by 1, 2

),

known_first_seen as (

    select
        relier_id,
        user_id_sha256,
        first_seen_date
    from {{ known_relation }}

),

final as (

    select
        window_first_seen.relier_id,
        window_first_seen.user_id_sha256,
        case
            when known_first_seen.first_seen_date < window_first_seen.first_seen_date
                then known_first_seen.first_seen_date
            else window_first_seen.first_seen_date
        end as first_seen_date
    from window_first_seen
    left join known_first_seen
        on
            window_first_seen.relier_id = known_first_seen.relier_id
            and window_first_seen.user_id_sha256 = known_first_seen.user_id_sha256

)

select * from final
