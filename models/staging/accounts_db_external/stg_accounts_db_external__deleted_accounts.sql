-- One row per deleted account.

with

source as (

    select * from {{ source('accounts_db_external', 'fxa_deleted_accounts_v1') }}

),

renamed as (

    select
        {{ sha256_hex('lower(uid)') }} as user_id_sha256,
        {{ to_utc_timestamp('deletedAt') }} as deleted_at

    from source

),

deduplicated as (

    {{ deduplicate('renamed', ['user_id_sha256'], ['deleted_at']) }}

)

select * from deduplicated
