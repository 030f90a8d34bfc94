-- One row per registered device. The user-visible device name is not selected.

with

source as (

    select * from {{ source('accounts_db_external', 'fxa_devices_v1') }}

),

renamed as (

    select
        ----------  ids
        {{ surrogate_key(['uid', 'id']) }} as device_key,
        {{ sha256_hex('lower(uid)') }} as user_id_sha256,
        {{ sha256_hex('lower(id)') }} as device_id_sha256,

        ----------  attributes
        lower(nullif(type, '')) as device_type,

        ----------  booleans
        coalesce(callbackIsExpired, false) as is_push_callback_expired,

        ----------  timestamps
        {{ to_utc_timestamp('createdAt') }} as created_at

    from source

),

deduplicated as (

    {{ deduplicate('renamed', ['device_key'], ['created_at']) }}

)

select * from deduplicated
