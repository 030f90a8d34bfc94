-- One row per account recovery key. The hint is not selected.

with

source as (

    select * from {{ source('accounts_db_external', 'fxa_recovery_keys_v1') }}

),

renamed as (

    select
        ----------  ids
        {{ sha256_hex('lower(uid)') }} as user_id_sha256,

        ----------  booleans
        coalesce(enabled, false) as is_enabled,

        ----------  timestamps
        {{ to_utc_timestamp('createdAt') }} as created_at,
        {{ to_utc_timestamp('verifiedAt') }} as verified_at

    from source

),

deduplicated as (

    {{ deduplicate('renamed', ['user_id_sha256'], ['created_at']) }}

)

select * from deduplicated
