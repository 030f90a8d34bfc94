{#-
    DAU, WAU and MAU per day (and per `keys`, e.g. the relier), counted from the days each
    account was active (int_user_activity_daily), and new users from a first-seen state.
    One rule for the relier and the all-reliers marts.

    An account counts in a day's DAU, WAU or MAU when it was active that day, or in the 6 or
    27 days before it (Mozilla's 28-day definition, bigquery-etl's *_last_seen bit fields,
    without the bits). Each active day opens a span of the days it keeps the account
    counted: 1, 7 and 28 days, cut short where the account's next active day opens its own
    span, so one account's spans never overlap. A day's count is then the spans open on
    it: +1 where a span starts, -1 the day after it ends, summed over the days in order.
    The work grows with the active days (one row per account and active day), not with
    accounts x 28 days as a per-day state does, and a windowed run reads the window's
    activity and the 27 days before it, however long the history.

    Returns a SELECT of: submission_date, every column of `keys`, dau, wau, mau, new_users;
    one row per day of the run's window (a full build: every day up to the last day of the
    account events) and key with at least one account in its MAU.
-#}
{% macro active_user_counts(keys, first_seen_model) %}
{%- set window = event_window() %}
{%- set keys_sql = (keys | join(', ')) ~ (', ' if keys else '') %}
{%- if window is not none %}
    {%- set read_from = (fxa_parse_date(window.start, 'window start')
        - modules.datetime.timedelta(days=27)).isoformat() %}
{%- endif %}
with

-- the days each account was active: from 27 days before the window's first day on, the
-- active days that can keep an account counted on a day of the window
active_days as (

    select
        {{ keys_sql }}user_id_sha256,
        submission_date as active_date
    from {{ ref('int_user_activity_daily') }}
    {%- if window is not none %}
    where submission_date between cast('{{ read_from }}' as date) and cast('{{ window.end }}' as date)
    {%- endif %}
    {%- if not keys %}
    group by user_id_sha256, submission_date
    {%- endif %}

),

spans as (

    select
        {{ keys_sql }}active_date,
        lead(active_date) over (
            partition by {{ keys_sql }}user_id_sha256 order by active_date
        ) as next_active_date
    from active_days

),

-- spans of the same first day and lengths, counted: their number is accounts x active
-- days no more, but a few per key and day
span_counts as (

    select
        {{ keys_sql }}active_date,
        least(coalesce({{ date_diff_days('next_active_date', 'active_date') }}, 7), 7) as wau_days,
        least(coalesce({{ date_diff_days('next_active_date', 'active_date') }}, 28), 28) as mau_days,
        count(*) as accounts
    from spans
    group by {{ keys_sql }}active_date, wau_days, mau_days

),

-- +accounts on the day a span starts, -accounts on the day after it ends
changes as (

    select {{ keys_sql }}active_date as change_date, accounts as dau_change, accounts as wau_change,
        accounts as mau_change
    from span_counts
    union all
    select {{ keys_sql }}{{ date_add_days('active_date', 1) }} as change_date, -accounts as dau_change,
        0 as wau_change, 0 as mau_change
    from span_counts
    union all
    select {{ keys_sql }}{{ date_add_days('active_date', 'wau_days') }} as change_date, 0 as dau_change,
        -accounts as wau_change, 0 as mau_change
    from span_counts
    union all
    select {{ keys_sql }}{{ date_add_days('active_date', 'mau_days') }} as change_date, 0 as dau_change,
        0 as wau_change, -accounts as mau_change
    from span_counts

),

daily_changes as (

    select
        {{ keys_sql }}change_date,
        sum(dau_change) as dau_change,
        sum(wau_change) as wau_change,
        sum(mau_change) as mau_change
    from changes
    group by {{ keys_sql }}change_date

),

-- every day from the first active day read to the last day the account events cover
-- (quiet days included: an account stays in WAU and MAU across them), for every key
days as (

    {{ date_spine(
        "cast('" ~ (read_from if window is not none else var('history_start_date')) ~ "' as date)",
        '(select max(account_events.submission_date) from ' ~ ref('int_account_events') ~ ' as account_events'
        ~ ' where ' ~ window_filter_date('account_events.submission_date', window) ~ ')') }}

),

grid as (

    {%- if keys %}
    select
        {{ keys_sql }}days.date_day
    from (select distinct {{ keys | join(', ') }} from span_counts) as active_keys
    cross join days
    {%- else %}
    select date_day from days
    {%- endif %}

),

running as (

    select
        grid.date_day as submission_date,
        {%- for key in keys %}
        grid.{{ key }},
        {%- endfor %}
        {%- for measure in ['dau', 'wau', 'mau'] %}
        cast(sum(coalesce(daily_changes.{{ measure }}_change, 0)) over (
            {%- if keys %}
            partition by {% for key in keys %}grid.{{ key }}{{ ', ' if not loop.last }}{% endfor %}
            {%- endif %}
            order by grid.date_day rows between unbounded preceding and current row
        ) as {{ dbt.type_bigint() }}) as {{ measure }}{{ ',' if not loop.last }}
        {%- endfor %}
    from grid
    left join daily_changes
        on
            {%- for key in keys %}
            grid.{{ key }} = daily_changes.{{ key }} and
            {%- endfor %}
            grid.date_day = daily_changes.change_date

),

new_users as (

    select
        {{ keys_sql }}first_seen_date,
        count(*) as new_users
    from {{ ref(first_seen_model) }}
    where {{ window_filter_date('first_seen_date', window) }}
    group by {{ keys_sql }}first_seen_date

),

counted as (

    select
        running.*,
        coalesce(new_users.new_users, 0) as new_users
    from running
    left join new_users
        on
            {%- for key in keys %}
            running.{{ key }} = new_users.{{ key }} and
            {%- endfor %}
            running.submission_date = new_users.first_seen_date
    where
        running.mau > 0
        and {{ window_filter_date('running.submission_date', window) }}

)

select * from counted
{% endmacro %}
