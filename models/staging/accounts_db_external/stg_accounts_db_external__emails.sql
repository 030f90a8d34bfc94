-- One row per email address of an account. The address itself is not selected.

with

source as (

    select * from {{ source('accounts_db_external', 'fxa_emails_v1') }}

),

renamed as (

    select
        ----------  ids
        id as email_id,
        {{ sha256_hex('lower(uid)') }} as user_id_sha256,

        ----------  booleans
        coalesce(isVerified, false) as is_verified,
        coalesce(isPrimary, false) as is_primary,

        ----------  timestamps
        {{ to_utc_timestamp('verifiedAt') }} as verified_at,
        {{ to_utc_timestamp('createdAt') }} as created_at

    from source

),

deduplicated as (

    {{ deduplicate('renamed', ['email_id'], ['created_at']) }}

)

select * from deduplicated
