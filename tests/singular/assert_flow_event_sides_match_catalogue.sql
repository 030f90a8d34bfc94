-- int_flow_events takes an event's side from the table or log it came from; the seed
-- event_catalogue says which side sends each event it lists. The two must agree: an event
-- arriving from the other side means the catalogue (or an upstream routing) is wrong, and
-- frontend-loss measures would count it on the wrong side. A windowed run checks its
-- window's dates only. A warning, not an error: one raw row sent under another side's
-- event name must not stop the daily run (the row is kept and counted on the side it
-- came from); the warning names the event to look at.
{{ config(severity='warn') }}
{%- set window = explicit_run_window() %}

with

flow_events as (

    select * from {{ ref('int_flow_events') }}
    where source_event_name is not null and {{ window_filter_date('submission_date', window) }}

),

catalogue as (

    select * from {{ ref('event_catalogue') }}

),

final as (

    select
        flow_events.source_system,
        flow_events.source_event_name,
        flow_events.side as side_seen,
        catalogue.side as side_in_catalogue,
        count(*) as events
    from flow_events
    inner join catalogue
        on
            flow_events.source_system = catalogue.source_system
            and flow_events.source_event_name = catalogue.event_name
    where flow_events.side != catalogue.side
    group by 1, 2, 3, 4

)

select * from final
