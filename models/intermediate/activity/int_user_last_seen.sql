-- One row per day, relier and account seen in the 28 days ending that day (and per
-- account over 'all_reliers'), with Mozilla's 28-day bit fields: bit k of days_seen_bits
-- is set when the account was active k days before the row's date.
--
-- How the bits are built without a 28-fold fan-out of activity:
--   * a "point" is an active day of a (relier, account), carrying its own bits (1, and 1
--     in days_registered_bits when it registered that day);
--   * a point's bits on its own day are its own bits OR those of the up to 27 points
--     before it, each shifted by the days between (27 lags suffice: points of one
--     account are distinct days, so older ones are 28 days or more away);
--   * every later day up to the next point (at most 27 days on) takes the point's bits
--     shifted by the days since, so each output row comes from exactly one point.
-- The daily run does not rescan 28 days of events: yesterday's state row enters as one
-- more point (the pattern of bigquery-etl's *_last_seen tables). A full build starts
-- from all activity and no state.

{{ config(**event_incremental_config()) }}
{%- set window = event_window() %}
{%- if is_incremental() %}
    {%- set previous_state_relation = this %}
    {%- set previous_day = date_add_days("cast('" ~ window.start ~ "' as date)", -1) %}
{%- else %}
    {%- set previous_state_relation = '(select cast(null as date) as submission_date, '
        ~ 'cast(null as ' ~ dbt.type_string() ~ ') as relier_id, cast(null as ' ~ dbt.type_string() ~ ') as user_id_sha256, '
        ~ 'cast(null as ' ~ dbt.type_bigint() ~ ') as days_seen_bits, '
        ~ 'cast(null as ' ~ dbt.type_bigint() ~ ') as days_registered_bits) as no_previous_state' %}
    {%- set previous_day = 'cast(null as date)' %}
{%- endif %}
{%- set all_bits = 268435455 %}

with

activity as (

    select * from {{ ref('int_user_activity_daily') }}
    where {{ window_filter_date('submission_date', window) }}

),

first_seen as (

    select * from {{ ref('int_user_first_seen') }}

),

-- the days to build: from the window's start (a full build: the fixed floor
-- var('history_start_date'), no event is staged before it) to the last day the account
-- events cover, within the window. Not from the activity's own extremes: every day of the
-- range gets its rows, quiet days included, so the 28-day state of a daily run carries
-- across them; and not past the data (an unwindowed incremental run's window ends today).
spine as (

    {{ date_spine(
        "cast('" ~ (window.start if window is not none else var('history_start_date')) ~ "' as date)",
        '(select max(account_events.submission_date) from ' ~ ref('int_account_events') ~ ' as account_events'
        ~ ' where ' ~ window_filter_date('account_events.submission_date', window) ~ ')') }}

),

-- the state on the day before the window (none on a full build)
previous_state as (

    select
        submission_date,
        relier_id,
        user_id_sha256,
        days_seen_bits as own_seen_bits,
        days_registered_bits as own_registered_bits
    from {{ previous_state_relation }}
    where submission_date = {{ previous_day }}

),

active_days as (

    select
        submission_date,
        relier_id,
        user_id_sha256,
        cast(1 as {{ dbt.type_bigint() }}) as own_seen_bits,
        cast(case when has_registered then 1 else 0 end as {{ dbt.type_bigint() }}) as own_registered_bits
    from activity

),

points as (

    select * from previous_state
    union all
    select * from active_days

),

points_with_history as (

    select
        *,
        {%- for k in range(1, 28) %}
            lag(submission_date, {{ k }}) over by_account as point_date_{{ k }},
            lag(own_seen_bits, {{ k }}) over by_account as seen_bits_{{ k }},
            lag(own_registered_bits, {{ k }}) over by_account as registered_bits_{{ k }},
        {%- endfor %}
        lead(submission_date) over by_account as next_point_date
    from points
    window by_account as (partition by relier_id, user_id_sha256 order by submission_date)

),

point_bits as (

    select
        submission_date,
        relier_id,
        user_id_sha256,
        next_point_date,
        own_seen_bits
        {%- for k in range(1, 28) %}
            | {{ shifted_bits('seen_bits_' ~ k, date_diff_days('submission_date', 'point_date_' ~ k), all_bits) }}
        {%- endfor %} as seen_bits,
        own_registered_bits
        {%- for k in range(1, 28) %}
            | {{ shifted_bits('registered_bits_' ~ k, date_diff_days('submission_date', 'point_date_' ~ k), all_bits) }}
        {%- endfor %} as registered_bits
    from points_with_history

),

-- each point's bits carried onto the days up to the next point, 27 days at most
state as (

    select
        spine.date_day as submission_date,
        point_bits.relier_id,
        point_bits.user_id_sha256,
        (point_bits.seen_bits << {{ date_diff_days('spine.date_day', 'point_bits.submission_date') }})
        & {{ all_bits }} as days_seen_bits,
        (point_bits.registered_bits << {{ date_diff_days('spine.date_day', 'point_bits.submission_date') }})
        & {{ all_bits }} as days_registered_bits
    from point_bits
    inner join spine
        on
            spine.date_day between point_bits.submission_date and {{ date_add_days('point_bits.submission_date', 27) }}
            and (point_bits.next_point_date is null or point_bits.next_point_date > spine.date_day)

),

final as (

    select
        state.submission_date,
        state.relier_id,
        state.user_id_sha256,
        state.days_seen_bits,
        state.days_registered_bits,
        first_seen.first_seen_date
    from state
    left join first_seen
        on state.relier_id = first_seen.relier_id and state.user_id_sha256 = first_seen.user_id_sha256
    where state.days_seen_bits != 0

)

select * from final
