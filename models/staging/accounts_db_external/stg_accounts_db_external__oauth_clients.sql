-- One row per registered OAuth client: the id -> name lookup of reliers. The id is
-- trimmed and lower-cased (a replica value with a trailing space is the same client).

with

source as (

    select * from {{ source('accounts_db_external', 'fxa_oauth_clients_v1') }}

),

renamed as (

    select
        ----------  ids
        lower({{ trim_whitespace('id') }}) as oauth_client_id,

        ----------  attributes
        nullif({{ trim_whitespace('name') }}, '') as client_name,
        nullif(redirectUri, '') as redirect_uri,
        nullif(allowedScopes, '') as allowed_scopes,

        ----------  booleans
        coalesce(canGrant, false) as can_grant,
        coalesce(publicClient, false) as is_public_client,
        coalesce(trusted, false) as is_trusted,

        ----------  timestamps
        {{ to_utc_timestamp('createdAt') }} as created_at

    from source

),

deduplicated as (

    {{ deduplicate('renamed', ['oauth_client_id'], ['created_at']) }}

)

select * from deduplicated
