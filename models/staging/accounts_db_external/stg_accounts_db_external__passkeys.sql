-- One row per passkey. The credential id leaves hashed; the passkey name is not selected.

with

source as (

    select * from {{ source('accounts_db_external', 'fxa_passkeys_v1') }}

),

renamed as (

    select
        ----------  ids
        {{ sha256_hex('credentialId') }} as passkey_id,
        {{ sha256_hex('lower(uid)') }} as user_id_sha256,

        ----------  attributes
        nullif(aaguid, '') as authenticator_aaguid,
        signCount as sign_count,
        {{ json_to_text('transports') }} as transports_json,

        ----------  booleans
        coalesce(backupEligible, false) as is_backup_eligible,
        coalesce(backupState, false) as is_backed_up,
        coalesce(prfEnabled, false) as is_prf_enabled,

        ----------  timestamps
        {{ to_utc_timestamp('createdAt') }} as created_at,
        {{ to_utc_timestamp('lastUsedAt') }} as last_used_at

    from source

),

deduplicated as (

    {{ deduplicate('renamed', ['passkey_id'], ['created_at']) }}

)

select * from deduplicated
