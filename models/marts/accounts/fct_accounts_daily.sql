-- One row per snapshot date: account-state totals from the accounts-database replicas.
-- The replicas are overwritten in full with no history, so each run records the state as
-- of var('snapshot_date') (or FXA_SNAPSHOT_DATE; default: the day before the run, the
-- last complete day; macro accounts_snapshot_date) and
-- replaces only that date's row; earlier snapshots are kept.

{{ config(**snapshot_incremental_config()) }}
{%- set snapshot_date = accounts_snapshot_date() %}

with

accounts as (

    select * from {{ ref('dim_accounts') }}

),

deleted_accounts as (

    select * from {{ ref('stg_accounts_db_external__deleted_accounts') }}

),

as_of_snapshot as (

    select *
    from accounts
    where created_date <= cast('{{ snapshot_date }}' as date)

),

totals as (

    select
        count(*) as total_accounts,
        count(case when is_verified then 1 end) as verified_accounts,
        count(case when is_active then 1 end) as active_accounts,
        count(case when has_two_step_auth then 1 end) as accounts_with_two_step_auth,
        count(case when has_recovery_key then 1 end) as accounts_with_recovery_key,
        count(case when has_passkey then 1 end) as accounts_with_passkey,
        count(case when is_linked_to_google then 1 end) as accounts_linked_to_google,
        count(case when is_linked_to_apple then 1 end) as accounts_linked_to_apple,
        count(case when created_date = cast('{{ snapshot_date }}' as date) then 1 end) as accounts_created
    from as_of_snapshot

),

deletions as (

    select count(*) as accounts_deleted
    from deleted_accounts
    where cast(deleted_at as date) = cast('{{ snapshot_date }}' as date)

),

final as (

    select
        cast('{{ snapshot_date }}' as date) as snapshot_date,
        totals.total_accounts,
        totals.verified_accounts,
        totals.active_accounts,
        totals.accounts_with_two_step_auth,
        totals.accounts_with_recovery_key,
        totals.accounts_with_passkey,
        totals.accounts_linked_to_google,
        totals.accounts_linked_to_apple,
        totals.accounts_created,
        deletions.accounts_deleted
    from totals
    cross join deletions

)

select * from final
