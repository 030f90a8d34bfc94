-- MetricFlow's daily time spine (docs.getdbt.com/docs/build/metricflow-time-spine): one
-- row per day from var('history_start_date') through the last day built, the newest
-- submission_date of fct_active_users_daily (one row per day, so its max reads little).
-- The cumulative metrics (wau, mau) join their rows to it: a spine past the data would
-- give days after the last load a trailing window of old activity, a MAU that looks real.
-- Plain SQL on both engines (macro date_spine).

with

last_day_built as (

    select max(submission_date) as last_day
    from {{ ref('fct_active_users_daily') }}

),

spine as (

    {{ date_spine(
        "cast('" ~ var('history_start_date') ~ "' as date)",
        "(select last_day from last_day_built)") }}

),

final as (

    select date_day from spine

)

select * from final
