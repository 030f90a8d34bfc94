-- Raw event rows that staging cannot keep, one row per raw key with the reason: the rows of
-- the five event base models with a verdict (quarantine_reason: no submission time, one in
-- the future or before var('history_start_date'), or no event name; event_quarantine_reason
-- decides it once per row in the base, whose staging model keeps the rows without one).
-- Together with the staged rows and the duplicates removed, they account for every raw row
-- (test raw_rows_accounted_for). The model's own window decides what it reads of each base
-- (event_read with meta.base_rows = 'quarantined': on DuckDB also the rows no window covers,
-- and no window of the legacy flow logs past their last partition, raw_source_read_in;
-- scripts/fxa_run.py leaves their staging models out the same way).

{%- set model_config = event_incremental_config(cluster_by=['source_table']) %}
{%- do model_config.meta.update({'base_rows': 'quarantined'}) %}
{{ config(**model_config) }}
{%- set window = event_window() %}
{%- set reads = {} %}
{%- for source_name, table_name in [('accounts_backend', 'events_stream'), ('accounts_frontend', 'events_stream'),
                                     ('firefox_accounts', 'fxa_all_events'),
                                     ('firefox_accounts_derived', 'fxa_log_auth_events_v1'),
                                     ('firefox_accounts_derived', 'fxa_log_content_events_v1')] %}
    {%- do reads.update({source_name ~ '.' ~ table_name: event_read(window, source_name, table_name, 'quarantined')}) %}
{%- endfor %}
{#- the flow logs: read in windows up to their last partition; on DuckDB their rows that no
    window covers are read by every run (reads_rows_outside_history) -#}
{%- set flow_logs = reads['firefox_accounts_derived.fxa_log_auth_events_v1'] %}
{%- set reads_flow_logs = flow_logs.reads_window or flow_logs.outside_history %}

with

backend_events as (

    {{ quarantined_event_rows(
        'accounts_backend.events_stream', ref('base_accounts_backend__events_stream'),
        'event_id', 'submitted_at', 'submission_timestamp', reads['accounts_backend.events_stream']) }}

),

frontend_events as (

    {{ quarantined_event_rows(
        'accounts_frontend.events_stream', ref('base_accounts_frontend__events_stream'),
        'event_id', 'submitted_at', 'submission_timestamp', reads['accounts_frontend.events_stream']) }}

),

amplitude_events as (

    {{ quarantined_event_rows(
        'firefox_accounts.fxa_all_events', ref('base_firefox_accounts__fxa_all_events'),
        'event_id', 'submitted_at', 'timestamp', reads['firefox_accounts.fxa_all_events']) }}

),

{%- if reads_flow_logs %}

    auth_flow_events as (

        {{ quarantined_event_rows(
            'firefox_accounts_derived.fxa_log_auth_events_v1',
            ref('base_firefox_accounts_derived__fxa_log_auth_events_v1'),
            'flow_event_id', 'logged_at', 'timestamp', reads['firefox_accounts_derived.fxa_log_auth_events_v1']) }}

    ),

    content_flow_events as (

        {{ quarantined_event_rows(
            'firefox_accounts_derived.fxa_log_content_events_v1',
            ref('base_firefox_accounts_derived__fxa_log_content_events_v1'),
            'flow_event_id', 'logged_at', 'timestamp', reads['firefox_accounts_derived.fxa_log_content_events_v1']) }}

    ),
{%- endif %}

unioned as (

    select * from backend_events
    union all
    select * from frontend_events
    union all
    select * from amplitude_events
    {%- if reads_flow_logs %}
        union all
        select * from auth_flow_events
        union all
        select * from content_flow_events
    {%- endif %}

),

-- one row per raw key: copies of a quarantined row (a re-shipped extract) count once here
-- and as duplicates in raw_rows_accounted_for, as they would in staging
final as (

    select
        source_table,
        source_row_id,
        min(quarantine_reason) as quarantine_reason,
        min(submitted_at) as submitted_at,
        cast(min(submitted_at) as date) as submission_date,
        count(*) as raw_rows
    from unioned
    group by 1, 2

)

select * from final
