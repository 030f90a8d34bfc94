-- One row per third-party identity (Google, Apple) linked to an account. The subject id
-- at the provider is not selected.

with

source as (

    select * from {{ source('accounts_db_external', 'fxa_linked_accounts_v1') }}

),

renamed as (

    select
        ----------  ids
        {{ surrogate_key(['uid', 'providerId']) }} as linked_account_key,
        {{ sha256_hex('lower(uid)') }} as user_id_sha256,
        providerId as provider_id,

        ----------  attributes
        case providerId
            when 1 then 'google'
            when 2 then 'apple'
            else 'unmapped'
        end as provider_name,

        ----------  booleans
        coalesce(enabled, false) as is_enabled,

        ----------  timestamps
        {{ to_utc_timestamp('authAt') }} as authenticated_at

    from source

),

deduplicated as (

    {{ deduplicate('renamed', ['linked_account_key'], ['authenticated_at']) }}

)

select * from deduplicated
