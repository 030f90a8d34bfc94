-- Lookup of security event names by id.

with

source as (

    select * from {{ source('accounts_db_external', 'fxa_security_event_names_v1') }}

),

renamed as (

    select
        id as security_event_name_id,
        name as security_event_name

    from source

),

deduplicated as (

    {{ deduplicate('renamed', ['security_event_name_id'], ['security_event_name']) }}

)

select * from deduplicated
