-- Retention per cohort date and relier. A cohort is the accounts whose first activity
-- ever with the relier was that day (int_user_first_seen.first_seen_date); an account is
-- active again in days 1-7 (8-28) when it was active with the relier (int_user_activity_daily)
-- on any day 1 to 7 (8 to 28) days after its cohort date. Rates divide by the cohort size.
-- A cohort is complete once its 28 days are all built: cohort_date + 28 <= the last date
-- built, the latest submission_date of int_user_activity_daily (in the scheduled run of
-- date D, D itself); until then its counts are lower bounds that grow.
-- Incremental on cohort_date: the activity of a date changes the cohorts of the 28 days
-- before it, so a run of dates D..E rewrites the cohorts D-28..E (event_incremental_config
-- preceding_days, macros/incremental/event_window.sql), and a cohort is final once a run
-- has seen it complete: daily runs equal a full refresh.

{%- set cohort_days = 28 %}
{{ config(**event_incremental_config(date_column='cohort_date', preceding_days=cohort_days)) }}
{%- set window = event_window('cohort_date') %}
{#- the activity that can count for the window's cohorts: from the day after its first
    cohort through the 28th day after its last -#}
{%- set activity_window = none if window is none else {
    'start': window.start, 'end': widen_window(window, cohort_days).end} %}

with

first_seen as (

    select * from {{ ref('int_user_first_seen') }}
    where {{ window_filter_date('first_seen_date', window) }}

),

activity as (

    select * from {{ ref('int_user_activity_daily') }}
    where {{ window_filter_date('submission_date', activity_window) }}

),

reliers as (

    select * from {{ ref('dim_reliers') }}

),

-- the last date built: the latest activity date. Read from the window's first cohort on
-- (pruned), which changes nothing: every cohort here has activity on its own date.
last_built as (

    select max(submission_date) as last_built_date
    from {{ ref('int_user_activity_daily') }}
    {%- if window is not none %}
        where submission_date >= cast('{{ window.start }}' as date)
    {%- endif %}

),

-- per cohort account: whether it came back in days 1-7 and in days 8-28
returns as (

    select
        first_seen.relier_id,
        first_seen.user_id_sha256,
        first_seen.first_seen_date as cohort_date,
        count(
            case
                when {{ date_diff_days('activity.submission_date', 'first_seen.first_seen_date') }} between 1 and 7
                    then 1
            end
        ) > 0 as is_active_days_1_7,
        count(
            case
                when
                    {{ date_diff_days('activity.submission_date', 'first_seen.first_seen_date') }}
                    between 8 and {{ cohort_days }}
                    then 1
            end
        ) > 0 as is_active_days_8_28
    from first_seen
    left join activity
        on
            first_seen.relier_id = activity.relier_id
            and first_seen.user_id_sha256 = activity.user_id_sha256
            and first_seen.first_seen_date < activity.submission_date
    group by 1, 2, 3

),

cohorts as (

    select
        cohort_date,
        relier_id,
        count(*) as cohort_size,
        count(case when is_active_days_1_7 then 1 end) as active_days_1_7,
        count(case when is_active_days_8_28 then 1 end) as active_days_8_28
    from returns
    group by 1, 2

),

final as (

    select
        cohorts.cohort_date,
        cohorts.relier_id,
        reliers.relier_name,
        reliers.relier_group,
        cohorts.cohort_size,
        cohorts.active_days_1_7,
        cohorts.active_days_8_28,
        1.0 * cohorts.active_days_1_7 / cohorts.cohort_size as retention_rate_days_1_7,
        1.0 * cohorts.active_days_8_28 / cohorts.cohort_size as retention_rate_days_8_28,
        coalesce({{ date_add_days('cohorts.cohort_date', cohort_days) }} <= last_built.last_built_date, false)
            as is_complete
    from cohorts
    cross join last_built
    left join reliers
        on cohorts.relier_id = reliers.relier_id

)

select * from final
