-- MetricFlow's daily time spine (docs.getdbt.com/docs/build/metricflow-time-spine): one
-- row per day from var('history_start_date') through var('time_spine_end_date'). The
-- cumulative metrics (wau, mau) join their daily rows to it; a day without activity is
-- still a day of the window. Plain SQL on both engines (macro date_spine).

with

spine as (

    {{ date_spine(
        "cast('" ~ var('history_start_date') ~ "' as date)",
        "cast('" ~ var('time_spine_end_date') ~ "' as date)") }}

),

final as (

    select date_day from spine

)

select * from final
