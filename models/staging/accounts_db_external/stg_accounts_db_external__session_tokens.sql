-- One row per live session token (the replica carries no token id, so the key is a
-- hash of the session's attributes).

with

source as (

    select * from {{ source('accounts_db_external', 'fxa_session_tokens_v1') }}

),

renamed as (

    select
        ----------  ids
        {{ surrogate_key(['uid', 'createdAt', 'uaBrowser', 'uaBrowserVersion', 'uaOS',
                          'uaOSVersion', 'uaDeviceType', 'lastAccessTime']) }} as session_token_key,
        {{ sha256_hex('lower(uid)') }} as user_id_sha256,
        providerId as provider_id,

        ----------  attributes
        nullif(uaBrowser, '') as ua_browser,
        nullif(uaBrowserVersion, '') as ua_browser_version,
        nullif(uaOS, '') as ua_os,
        nullif(uaOSVersion, '') as ua_os_version,
        nullif(uaDeviceType, '') as ua_device_type,
        nullif(uaFormFactor, '') as ua_form_factor,
        verificationMethod as verification_method,
        case verificationMethod
            when 0 then 'email'
            when 1 then 'email-2fa'
            when 2 then 'totp-2fa'
            when 3 then 'recovery-code'
        end as verification_method_name,

        ----------  booleans
        coalesce(mustVerify, false) as is_verification_required,

        ----------  timestamps
        {{ to_utc_timestamp('createdAt') }} as created_at,
        {{ epoch_ms_to_timestamp('lastAccessTime') }} as last_accessed_at,
        {{ to_utc_timestamp('authAt') }} as authenticated_at,
        {{ to_utc_timestamp('verifiedAt') }} as verified_at

    from source

),

deduplicated as (

    {{ deduplicate('renamed', ['session_token_key'], ['created_at']) }}

)

select * from deduplicated
