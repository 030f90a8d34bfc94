-- One row per account with a TOTP (two-step authentication) secret.

with

source as (

    select * from {{ source('accounts_db_external', 'fxa_totp_v1') }}

),

renamed as (

    select
        ----------  ids
        {{ sha256_hex('lower(uid)') }} as user_id_sha256,
        cast(id as {{ dbt.type_string() }}) as totp_id,

        ----------  booleans
        coalesce(verified, false) as is_verified,
        coalesce(enabled, false) as is_enabled,

        ----------  timestamps
        {{ to_utc_timestamp('createdAt') }} as created_at

    from source

),

deduplicated as (

    {{ deduplicate('renamed', ['user_id_sha256'], ['created_at']) }}

)

select * from deduplicated
