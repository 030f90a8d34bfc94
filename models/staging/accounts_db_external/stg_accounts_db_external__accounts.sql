-- One row per account: the rows of the replica's base model without a verdict (a uid that
-- is missing or not 32 hex goes to stg_accounts_db_external__quarantined_accounts),
-- deduplicated on the hashed uid. Emails are not selected; the uid leaves as
-- user_id_sha256 only. A creation time before 2010 or after the run is NULL with a flag.

with

kept as (

    select {{ star_except(['raw_uid_sha256', 'raw_created_at', 'quarantine_reason']) }}
    from {{ ref('base_accounts_db_external__fxa_accounts_v1') }}
    where quarantine_reason is null

),

deduplicated as (

    {{ deduplicate('kept', ['user_id_sha256'], ['created_at']) }}

)

select * from deduplicated
