-- Account rows whose uid is missing or not 32 hex: the rows of the replica's base model
-- with a verdict (account_uid_quarantine_reason, decided once in the base, whose other
-- reader stg_accounts_db_external__accounts keeps the rows without one). One row per
-- distinct raw uid, with the number of replica rows that carry it (copies count as
-- duplicates in raw_rows_accounted_for, as in staging), without the uid itself (it may
-- hold anything), so every replica row is accounted for.

with

quarantined as (

    select
        raw_uid_sha256,
        quarantine_reason,
        raw_created_at as created_at
    from {{ ref('base_accounts_db_external__fxa_accounts_v1') }}
    where quarantine_reason is not null

),

final as (

    select
        raw_uid_sha256,
        min(quarantine_reason) as quarantine_reason,
        min(created_at) as created_at,
        count(*) as replica_rows
    from quarantined
    group by 1

)

select * from final
