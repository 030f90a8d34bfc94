-- Account rows whose uid is missing or not 32 hex: they cannot be hashed into the id
-- shared with telemetry, so staging leaves them out (the rule is
-- account_uid_quarantine_reason, shared with stg_accounts_db_external__accounts). One row
-- per distinct raw uid, with the number of replica rows that carry it (copies count as
-- duplicates in raw_rows_accounted_for, as in staging), without the uid itself (it may
-- hold anything), so every replica row is accounted for.

with

source as (

    select * from {{ source('accounts_db_external', 'fxa_accounts_v1') }}

),

quarantined as (

    select
        {{ sha256_hex("coalesce(lower(uid), '<null>')") }} as raw_uid_sha256,
        {{ account_uid_quarantine_reason('uid') }} as quarantine_reason,
        {{ to_utc_timestamp('createdAt') }} as created_at
    from source
    where {{ account_uid_quarantine_reason('uid') }} is not null

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
