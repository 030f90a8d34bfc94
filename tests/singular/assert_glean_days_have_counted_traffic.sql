-- Every submission date with Glean rows has some traffic the marts count: a day whose
-- rows all come from other deployments, or all carry no channel, means the channel
-- values changed upstream (or var('counted_app_channels') is wrong), and every mart
-- would silently show an empty day. Fails naming the date and table. A windowed run
-- checks its window's dates only.
{%- set window = explicit_run_window() %}

with

staged as (

    select
        'accounts_backend' as source_table,
        submission_date,
        is_counted_traffic
    from {{ ref('stg_accounts_backend__events') }}
    where {{ window_filter_date('submission_date', window) }}

    union all

    select
        'accounts_frontend' as source_table,
        submission_date,
        is_counted_traffic
    from {{ ref('stg_accounts_frontend__events') }}
    where {{ window_filter_date('submission_date', window) }}

)

select
    source_table,
    submission_date,
    count(*) as staged_events
from staged
group by 1, 2
having count(case when is_counted_traffic then 1 end) = 0
