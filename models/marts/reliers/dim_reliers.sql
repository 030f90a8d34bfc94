-- One row per relier id known from the OAuth clients replica, the curated list of public
-- client ids, or seen on any account event or flow (including 'unattributed' and ids in no
-- lookup). Nothing is dropped by an inner join: unknown ids keep their id in the name.
-- 'unknown_service' gathers events whose service was free text (an email, a uid): staging
-- nulled the value, so it is never shown.

with

replica_clients as (

    select * from {{ ref('stg_accounts_db_external__oauth_clients') }}

),

curated_clients as (

    select * from {{ ref('relier_clients') }}

),

account_events as (

    select * from {{ ref('int_account_events') }}

),

flows as (

    select * from {{ ref('int_flows') }}

),

all_relier_ids as (

    select oauth_client_id as relier_id from replica_clients
    union all
    select relier_id from curated_clients
    union all
    select relier_id from account_events
    union all
    select relier_id from flows

),

relier_ids as (

    select distinct relier_id from all_relier_ids

),

final as (

    select
        relier_ids.relier_id,
        coalesce(
            replica_clients.client_name,
            curated_clients.relier_name,
            case
                when relier_ids.relier_id = 'unattributed' then 'Unattributed (no client id or service)'
                when relier_ids.relier_id = 'unknown_service'
                    then 'Unknown service (a service value that cannot be a relier, not shown)'
                else concat('Unknown client ', relier_ids.relier_id)
            end
        ) as relier_name,
        coalesce(curated_clients.relier_group, 'Other') as relier_group,
        {{ regex_full_match('relier_ids.relier_id', '[0-9a-f]{16}') }} as is_oauth_client,
        coalesce(curated_clients.is_china_users_missing, false) as is_china_users_missing,
        replica_clients.oauth_client_id is not null as is_in_oauth_clients_replica,
        curated_clients.relier_id is not null as is_in_curated_list
    from relier_ids
    left join replica_clients
        on relier_ids.relier_id = replica_clients.oauth_client_id
    left join curated_clients
        on relier_ids.relier_id = curated_clients.relier_id

)

select * from final
