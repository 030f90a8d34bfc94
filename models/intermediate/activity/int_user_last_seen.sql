-- One row per day, relier and account seen in the 28 days ending that day, with Mozilla's
-- 28-day bit fields (bigquery-etl *_last_seen tables): bit k of days_seen_bits is set when
-- the account was active with the relier k days before the row's date.
--
-- Mozilla builds the state one day at a time: today's bits are yesterday's moved one day
-- on, OR 1 when the account is active today. A run applies that rule to every day of its
-- window at once: a day's bits are the OR of each earlier input carried forward to it
-- (shifted_bits, macros/activity/day_bits.sql), where the inputs are yesterday's state (the
-- day before the window; none on a full build) and the window's active days. For a window of
-- one day that is exactly Mozilla's rule. A daily run reads the state of one day and the
-- window's activity, never 28 days of events; a full build is the same SQL without a
-- previous state.

{{ config(**event_incremental_config()) }}
{%- set window = event_window() %}
{%- set reads_previous_state = is_incremental() and window is not none %}

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

day_offsets as (

    {{ day_offsets(27) }}

),

-- yesterday's state: the day before the window
previous_state as (

    {%- if reads_previous_state %}
        select
            relier_id,
            user_id_sha256,
            submission_date as input_date,
            days_seen_bits as seen_bits,
            days_registered_bits as registered_bits
        from {{ this }}
        where submission_date = {{ date_add_days("cast('" ~ window.start ~ "' as date)", -1) }}
    {%- else %}
        -- a full build starts with no state
        select
            cast(null as {{ dbt.type_string() }}) as relier_id,
            cast(null as {{ dbt.type_string() }}) as user_id_sha256,
            cast(null as date) as input_date,
            cast(null as {{ dbt.type_bigint() }}) as seen_bits,
            cast(null as {{ dbt.type_bigint() }}) as registered_bits
        from (select 1 as no_rows) as no_previous_state
        where false
    {%- endif %}

),

-- today's activity: bit 0 on each active day (and in the registered bits when it registered)
active_days as (

    select
        relier_id,
        user_id_sha256,
        submission_date as input_date,
        cast(1 as {{ dbt.type_bigint() }}) as seen_bits,
        cast(case when has_registered then 1 else 0 end as {{ dbt.type_bigint() }}) as registered_bits
    from activity

),

inputs as (

    select * from previous_state
    union all
    select * from active_days

),

-- each input carried onto the days of the range in the 27 days after it
carried as (

    select
        spine.date_day as submission_date,
        inputs.relier_id,
        inputs.user_id_sha256,
        {{ shifted_bits('inputs.seen_bits', 'day_offsets.day_offset') }} as seen_bits,
        {{ shifted_bits('inputs.registered_bits', 'day_offsets.day_offset') }} as registered_bits
    from inputs
    cross join day_offsets
    inner join spine
        on spine.date_day = {{ date_add_days('inputs.input_date', 'day_offsets.day_offset') }}

),

-- a day's state: its carried bits OR-ed together
state as (

    select
        submission_date,
        relier_id,
        user_id_sha256,
        bit_or(seen_bits) as days_seen_bits,
        bit_or(registered_bits) as days_registered_bits
    from carried
    group by 1, 2, 3

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
