-- What Mozilla's generated registration funnel (registration_overall_success_by_service)
-- would count for these raw events, written in this project's SQL from its config
-- (bigquery-etl sql_generators/funnels/configs/registration_funnels_by_service.toml):
-- per submission date, the distinct flows with a frontend `reg.view`, of those the flows
-- with a frontend `reg.signup_code_view` on the same submission date, and of those the
-- flows with a backend `reg.complete` on the same submission date (one row per flow and
-- date: Mozilla's counts are the counts of these rows). Every deployment and
-- bots included, as there. A flow that crosses midnight between two steps is lost from
-- the later steps: this project's funnels (24 hours from the flow's start, steps counted
-- independently) keep it. Not a model: compiled and run by
-- tests/python/test_mozilla_comparison.py, and the comparison in docs/data_model.md.

with

frontend as (

    select
        cast({{ to_utc_timestamp('submission_timestamp') }} as date) as submission_date,
        metrics.string.session_flow_id as flow_id,
        event
    from {{ source('accounts_frontend', 'events_stream') }}
    where
        {{ full_history_filter('submission_timestamp') }}
        and event in ('reg.view', 'reg.signup_code_view')
        and metrics.string.session_flow_id != ''

),

backend as (

    select
        cast({{ to_utc_timestamp('submission_timestamp') }} as date) as submission_date,
        metrics.string.session_flow_id as flow_id
    from {{ source('accounts_backend', 'events_stream') }}
    where
        {{ full_history_filter('submission_timestamp') }}
        and event = 'reg.complete'
        and metrics.string.session_flow_id != ''

),

reg_view as (

    select distinct
        submission_date,
        flow_id
    from frontend
    where event = 'reg.view'

),

code_view as (

    select distinct
        reg_view.submission_date,
        reg_view.flow_id
    from reg_view
    inner join frontend
        on
            reg_view.submission_date = frontend.submission_date
            and reg_view.flow_id = frontend.flow_id
            and frontend.event = 'reg.signup_code_view'

),

completed as (

    select distinct
        code_view.submission_date,
        code_view.flow_id
    from code_view
    inner join backend
        on
            code_view.submission_date = backend.submission_date
            and code_view.flow_id = backend.flow_id

)

-- one row per flow and date of its reg.view: how far Mozilla's funnel takes it
select
    reg_view.submission_date,
    reg_view.flow_id,
    code_view.flow_id is not null as reached_code_view,
    completed.flow_id is not null as completed
from reg_view
left join code_view
    on reg_view.submission_date = code_view.submission_date and reg_view.flow_id = code_view.flow_id
left join completed
    on reg_view.submission_date = completed.submission_date and reg_view.flow_id = completed.flow_id
