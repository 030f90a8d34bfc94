-- Account rows whose uid is not 32 hex: they cannot be hashed into the id shared with
-- telemetry, so staging leaves them out. Kept here with the reason, without the uid
-- itself (it may hold anything), so every replica row is accounted for.

with

source as (

    select * from {{ source('accounts_db_external', 'fxa_accounts_v1') }}

),

quarantined as (

    select
        {{ sha256_hex("coalesce(uid, '<null>')") }} as raw_uid_sha256,
        case when uid is null then 'missing uid' else 'uid is not 32 hex' end as quarantine_reason,
        {{ to_utc_timestamp('createdAt') }} as created_at
    from source
    where uid is null or not {{ regex_full_match('lower(uid)', '[0-9a-f]{32}') }}

)

select * from quarantined
