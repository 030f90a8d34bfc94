-- One row per relier and account (and per account over 'all_reliers'): the first day it
-- was ever active. Per-account state kept across runs.
--
-- A full build takes the earliest activity date of each account. An incremental run of a
-- window recomputes the accounts it can change, exactly as a full build would: those active
-- in the window and those whose known first day lies in it (a day re-delivered with less
-- activity, or none, can move their first day later). For them the first day is the known
-- one when it is before the window, else the earliest activity on or after the window's
-- start (the later days are read too: after a re-run of an old date that is the only place
-- their first day can be; for the scheduled run of the newest date nothing later exists).
-- An account left with no activity at all is deleted (emitted with a NULL date, removed
-- when the state is written: macros/cross_db/tombstones.sql).

{{ config(**keyed_incremental_config(
    unique_key=['relier_id', 'user_id_sha256'], cluster_by=['relier_id'], window_column='first_seen_date',
    tombstone_column='first_seen_date')) }}
{#- A first-seen date depends on no later date: nothing after the window is rebuilt. -#}
{%- set window = event_window('first_seen_date', rebuild_following=false) %}

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
            relier_id,
            user_id_sha256,
            min(submission_date) as first_seen_date
        from activity
        {%- if window is not none %}
        where {{ window_filter_date('submission_date', window) }}
        {%- endif %}
        group by 1, 2

    )

{%- else %}

    known_first_seen as (

        select
            relier_id,
            user_id_sha256,
            first_seen_date
        from {{ this }}

    ),

    -- the accounts this window can change
    accounts_in_scope as (

        select
            relier_id,
            user_id_sha256
        from activity
        where {{ window_filter_date('submission_date', window) }}
        union distinct
        select
            relier_id,
            user_id_sha256
        from known_first_seen
        where {{ window_filter_date('first_seen_date', window) }}

    ),

    first_activity_from_window as (

        select
            activity.relier_id,
            activity.user_id_sha256,
            min(activity.submission_date) as first_seen_date
        from activity
        inner join accounts_in_scope
            on
                activity.relier_id = accounts_in_scope.relier_id
                and activity.user_id_sha256 = accounts_in_scope.user_id_sha256
        group by 1, 2

    ),

    final as (

        select
            accounts_in_scope.relier_id,
            accounts_in_scope.user_id_sha256,
            case
                when known_first_seen.first_seen_date < cast('{{ window.start }}' as date)
                    then known_first_seen.first_seen_date
                else first_activity_from_window.first_seen_date
            end as first_seen_date
        from accounts_in_scope
        left join known_first_seen
            on
                accounts_in_scope.relier_id = known_first_seen.relier_id
                and accounts_in_scope.user_id_sha256 = known_first_seen.user_id_sha256
        left join first_activity_from_window
            on
                accounts_in_scope.relier_id = first_activity_from_window.relier_id
                and accounts_in_scope.user_id_sha256 = first_activity_from_window.user_id_sha256

    )

{%- endif %}

select * from final
