-- One row per account in the accounts database replica, keyed by user_id_sha256 only:
-- security features, linked identity providers, devices and last session activity. No
-- email and no raw uid. Protected: pseudonymous per-account data.

with

accounts as (

    select * from {{ ref('stg_accounts_db_external__accounts') }}

),

totp_secrets as (

    select * from {{ ref('stg_accounts_db_external__totp_secrets') }}

),

recovery_keys as (

    select * from {{ ref('stg_accounts_db_external__recovery_keys') }}

),

passkeys as (

    select * from {{ ref('stg_accounts_db_external__passkeys') }}

),

linked_accounts as (

    select * from {{ ref('stg_accounts_db_external__linked_accounts') }}

),

devices as (

    select * from {{ ref('stg_accounts_db_external__devices') }}

),

session_tokens as (

    select * from {{ ref('stg_accounts_db_external__session_tokens') }}

),

passkeys_per_account as (

    select
        user_id_sha256,
        count(*) as passkeys
    from passkeys
    group by 1

),

providers_per_account as (

    select
        user_id_sha256,
        count(case when provider_name = 'google' and is_enabled then 1 end) > 0 as is_linked_to_google,
        count(case when provider_name = 'apple' and is_enabled then 1 end) > 0 as is_linked_to_apple
    from linked_accounts
    group by 1

),

devices_per_account as (

    select
        user_id_sha256,
        count(*) as device_count
    from devices
    group by 1

),

sessions_per_account as (

    select
        user_id_sha256,
        max(last_accessed_at) as last_session_activity_at
    from session_tokens
    group by 1

),

final as (

    select
        accounts.user_id_sha256,
        cast(accounts.created_at as date) as created_date,
        accounts.locale_language,
        accounts.is_email_verified as is_verified,
        accounts.is_disabled,
        accounts.is_email_verified and not accounts.is_disabled as is_active,
        coalesce(totp_secrets.is_verified and totp_secrets.is_enabled, false) as has_two_step_auth,
        coalesce(recovery_keys.is_enabled, false) as has_recovery_key,
        coalesce(passkeys_per_account.passkeys, 0) > 0 as has_passkey,
        coalesce(providers_per_account.is_linked_to_google, false) as is_linked_to_google,
        coalesce(providers_per_account.is_linked_to_apple, false) as is_linked_to_apple,
        coalesce(devices_per_account.device_count, 0) as device_count,
        sessions_per_account.last_session_activity_at
    from accounts
    left join totp_secrets on accounts.user_id_sha256 = totp_secrets.user_id_sha256
    left join recovery_keys on accounts.user_id_sha256 = recovery_keys.user_id_sha256
    left join passkeys_per_account on accounts.user_id_sha256 = passkeys_per_account.user_id_sha256
    left join providers_per_account on accounts.user_id_sha256 = providers_per_account.user_id_sha256
    left join devices_per_account on accounts.user_id_sha256 = devices_per_account.user_id_sha256
    left join sessions_per_account on accounts.user_id_sha256 = sessions_per_account.user_id_sha256

)

select * from final
