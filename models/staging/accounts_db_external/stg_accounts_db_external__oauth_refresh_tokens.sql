-- One row per live OAuth refresh token (the token itself is never replicated).

with

source as (

    select * from {{ source('accounts_db_external', 'fxa_oauth_refresh_tokens_v1') }}

),

renamed as (

    select
        ----------  ids
        {{ surrogate_key(['clientId', 'userId', 'scope', 'createdAt']) }} as refresh_token_key,
        lower(clientId) as oauth_client_id,
        {{ sha256_hex('lower(userId)') }} as user_id_sha256,

        ----------  attributes
        nullif(scope, '') as scope,

        ----------  timestamps
        {{ to_utc_timestamp('createdAt') }} as created_at,
        {{ to_utc_timestamp('lastUsedAt') }} as last_used_at

    from source

),

deduplicated as (

    {{ deduplicate('renamed', ['refresh_token_key'], ['created_at']) }}

)

select * from deduplicated
