-- The only reader of the accounts replica fxa_accounts_v1: one row per replica row, renamed
-- and cast, with the verdict quarantine_reason (NULL: keep; a uid that is missing or not 32
-- hex cannot be hashed into the id shared with telemetry: account_uid_quarantine_reason).
-- Emails are not selected; the uid leaves only hashed: user_id_sha256 (of the lower-case
-- hex uid, for kept rows) and raw_uid_sha256 (of whatever the raw uid is, to trace a
-- quarantined row). A creation time before 2010 or after the run is NULL with a flag.
-- Read by stg_accounts_db_external__accounts (the kept rows) and
-- stg_accounts_db_external__quarantined_accounts. Ephemeral: inlined into both views.

{{ config(materialized='ephemeral') }}

with

source as (

    select * from {{ source('accounts_db_external', 'fxa_accounts_v1') }}

),

renamed as (

    select
        ----------  ids
        {{ sha256_hex('lower(uid)') }} as user_id_sha256,
        {{ sha256_hex("coalesce(lower(uid), '<null>')") }} as raw_uid_sha256,

        ----------  attributes
        nullif(locale, '') as locale,
        lower(nullif({{ dbt.split_part(dbt.split_part('locale', "','", 1), "'-'", 1) }}, '')) as locale_language,
        verifierVersion as verifier_version,

        ----------  booleans
        coalesce(emailVerified, false) as is_email_verified,
        disabledAt is not null as is_disabled,
        lockedAt is not null as is_locked,
        metricsOptOutAt is not null as is_metrics_opted_out,
        atLeast18AtReg as is_at_least_18_at_registration,

        ----------  timestamps
        case
            when not {{ is_implausible_timestamp(to_utc_timestamp('createdAt')) }}
                then {{ to_utc_timestamp('createdAt') }}
        end as created_at,
        coalesce({{ is_implausible_timestamp(to_utc_timestamp('createdAt')) }}, false) as has_implausible_created_at,
        {{ to_utc_timestamp('createdAt') }} as raw_created_at,
        {{ to_utc_timestamp('verifierSetAt') }} as password_set_at,
        {{ to_utc_timestamp('lockedAt') }} as locked_at,
        {{ to_utc_timestamp('profileChangedAt') }} as profile_changed_at,
        {{ to_utc_timestamp('keysChangedAt') }} as keys_changed_at,
        {{ to_utc_timestamp('disabledAt') }} as disabled_at,
        {{ to_utc_timestamp('metricsOptOutAt') }} as metrics_opted_out_at,

        ----------  the verdict
        {{ account_uid_quarantine_reason('uid') }} as quarantine_reason

    from source

)

select * from renamed
