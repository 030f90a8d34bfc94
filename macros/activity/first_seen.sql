{#-
    The SELECT of a first-seen state: one row per `keys` (relier and account, or account
    alone) with the first day it was ever active in int_user_activity_daily. Used by
    int_user_first_seen and int_account_first_seen, which differ only in their keys.

    A full build takes the earliest activity date of each key. An incremental run of a
    window recomputes the keys it can change, exactly as a full build would: those active
    in the window and those whose known first day lies in it (a day re-delivered with less
    activity, or none, can move their first day later). For them the first day is the known
    one when it is before the window, else the earliest activity on or after the window's
    start (the later days are read too: after a re-run of an old date that is the only place
    their first day can be; for the scheduled run of the newest date nothing later exists).
    A key left with no activity at all comes out with a NULL date, which deletes it when the
    state is written (macros/cross_db/tombstones.sql).
-#}
{% macro first_seen_state(keys) %}
{#- A first-seen date depends on no later date: nothing after the window is rebuilt. -#}
{%- set window = event_window('first_seen_date', rebuild_following=false) %}
{%- set key_list = keys | join(', ') %}
with

activity as (

    select * from {{ ref('int_user_activity_daily') }}
    {%- if window is not none %}
        where submission_date >= cast('{{ window.start }}' as date)
    {%- endif %}

),

{%- if window is none or not is_incremental() %}

    final as (

        select
            {{ key_list }},
            min(submission_date) as first_seen_date
        from activity
        {%- if window is not none %}
        where {{ window_filter_date('submission_date', window) }}
        {%- endif %}
        group by {{ key_list }}

    )

{%- else %}

    known_first_seen as (

        select
            {{ key_list }},
            first_seen_date
        from {{ this }}

    ),

    -- the keys this window can change
    keys_in_scope as (

        select {{ key_list }}
        from activity
        where {{ window_filter_date('submission_date', window) }}
        union distinct
        select {{ key_list }}
        from known_first_seen
        where {{ window_filter_date('first_seen_date', window) }}

    ),

    first_activity_from_window as (

        select
            {%- for key in keys %}
            activity.{{ key }},
            {%- endfor %}
            min(activity.submission_date) as first_seen_date
        from activity
        inner join keys_in_scope
            on {{ keys_match('activity', 'keys_in_scope', keys) }}
        group by {% for key in keys %}activity.{{ key }}{{ ', ' if not loop.last }}{% endfor %}

    ),

    final as (

        select
            {%- for key in keys %}
            keys_in_scope.{{ key }},
            {%- endfor %}
            case
                when known_first_seen.first_seen_date < cast('{{ window.start }}' as date)
                    then known_first_seen.first_seen_date
                else first_activity_from_window.first_seen_date
            end as first_seen_date
        from keys_in_scope
        left join known_first_seen
            on {{ keys_match('keys_in_scope', 'known_first_seen', keys) }}
        left join first_activity_from_window
            on {{ keys_match('keys_in_scope', 'first_activity_from_window', keys) }}

    )

{%- endif %}

select * from final
{% endmacro %}


{#- `a.k = b.k and ...` for every key column k: the join condition of two relations on keys. -#}
{% macro keys_match(left, right, keys) -%}
    {%- for key in keys %}{{ left }}.{{ key }} = {{ right }}.{{ key }}{{ ' and ' if not loop.last }}{% endfor -%}
{%- endmacro %}
