-- One row per day, relier and account seen in the 28 days ending that day (and per
-- account over 'all_reliers'), with Mozilla's 28-day bit fields: bit k of days_seen_bits
-- is set when the account was active k days before the row's date.
--
-- The daily run does not rescan 28 days of events: it takes yesterday's state from this
-- table, shifts it by one bit per day, and ORs in the window's activity (the pattern of
-- bigquery-etl's *_last_seen tables). A full build starts from all activity.

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

with

activity as (

    select * from {{ ref('int_user_activity_daily') }}
    where {{ window_filter_date('submission_date', window) }}

),

first_seen as (

    select * from {{ ref('int_user_first_seen') }}

),

-- the days to build: from the window's start (or the first activity) to the last activity
spine as (

    {{ date_spine(
        "cast('" ~ window.start ~ "' as date)" if window is not none else '(select min(submission_date) from activity)',
        '(select max(submission_date) from activity)') }}

),

-- each day's activity sets one bit on each of the next 28 days inside the window
activity_bits as (

    select
        spine.date_day as submission_date,
        activity.relier_id,
        activity.user_id_sha256,
        cast(1 as {{ dbt.type_bigint() }}) << {{ date_diff_days('spine.date_day', 'activity.submission_date') }}
            as seen_bits,
        case
            when activity.has_registered
                then cast(1 as {{ dbt.type_bigint() }})
                    << {{ date_diff_days('spine.date_day', 'activity.submission_date') }}
            else cast(0 as {{ dbt.type_bigint() }})
        end as registered_bits
    from activity
    inner join spine
        on spine.date_day between activity.submission_date and {{ date_add_days('activity.submission_date', 27) }}

),

-- the state on the day before the window, shifted onto each day of the window (no
-- state on a full build)
previous_state as (

    select
        submission_date,
        relier_id,
        user_id_sha256,
        days_seen_bits,
        days_registered_bits
    from {{ previous_state_relation }}
    where submission_date = {{ previous_day }}

),

carried_bits as (

    select
        spine.date_day as submission_date,
        previous_state.relier_id,
        previous_state.user_id_sha256,
        (previous_state.days_seen_bits << {{ date_diff_days('spine.date_day', 'previous_state.submission_date') }})
        & 268435455 as seen_bits,
        (
            previous_state.days_registered_bits
            << {{ date_diff_days('spine.date_day', 'previous_state.submission_date') }}
        )
        & 268435455 as registered_bits
    from previous_state
    inner join spine
        on {{ date_diff_days('spine.date_day', 'previous_state.submission_date') }} < 28

),

combined as (

    select * from activity_bits
    union all
    select * from carried_bits

),

state as (

    select
        submission_date,
        relier_id,
        user_id_sha256,
        bit_or(seen_bits) as days_seen_bits,
        bit_or(registered_bits) as days_registered_bits
    from combined
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
