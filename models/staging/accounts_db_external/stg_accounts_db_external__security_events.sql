-- One row per account security event. IP address, its HMAC, token ids and the
-- additional info (user agent, phone details) are not selected.

with

source as (

    select * from {{ source('accounts_db_external', 'fxa_security_events_v1') }}

),

renamed as (

    select
        ----------  ids
        cast(id as {{ dbt.type_string() }}) as security_event_id,
        {{ sha256_hex('lower(uid)') }} as user_id_sha256,
        nameId as security_event_name_id,

        ----------  booleans
        coalesce(verified, false) as is_verified,

        ----------  timestamps
        {{ to_utc_timestamp('createdAt') }} as created_at

    from source

),

deduplicated as (

    {{ deduplicate('renamed', ['security_event_id'], ['created_at']) }}

)

select * from deduplicated
