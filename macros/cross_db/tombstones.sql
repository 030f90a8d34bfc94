{#-
    Keyed incremental models (per-flow, per-account state) remove a key by emitting it once
    more with `tombstone_column` NULL: a flow or an account left with no event after a day
    was re-delivered with fewer rows. The write then deletes those keys instead of storing
    them. Set by keyed_incremental_config(tombstone_column=...).

    * BigQuery: the MERGE itself deletes them (`when matched and ... is null then delete`,
      and never inserts them): one statement, no DML job of its own.
    * DuckDB: delete+insert stores them, and a post-hook deletes them.
-#}
{% macro tombstone_cleanup_hooks(tombstone_column) %}
    {%- if tombstone_column is none or target.type == 'bigquery' -%}
        {{ return([]) }}
    {%- endif -%}
    {{ return(["delete from {{ this }} where " ~ tombstone_column ~ " is null"]) }}
{% endmacro %}


{#- dbt's MERGE, with the tombstone clauses when the model declares a tombstone column. -#}
{% macro bigquery__get_merge_sql(target, source, unique_key, dest_columns, incremental_predicates=none) -%}
    {%- set merge_sql = default__get_merge_sql(target, source, unique_key, dest_columns, incremental_predicates) -%}
    {%- set tombstone_column = (config.get('meta') or {}).get('tombstone_column') -%}
    {%- if tombstone_column is none -%}
        {{ return(merge_sql) }}
    {%- endif -%}
    {%- set is_tombstone = 'DBT_INTERNAL_SOURCE.' ~ tombstone_column ~ ' is null' -%}
    {%- if 'when matched then update set' not in merge_sql or 'when not matched then insert' not in merge_sql -%}
        {{ exceptions.raise_compiler_error("tombstones: unexpected MERGE from dbt for " ~ target) }}
    {%- endif -%}
    {{ return(merge_sql
        | replace('when matched then update set', 'when matched and ' ~ is_tombstone ~ ' then delete\n    when matched then update set')
        | replace('when not matched then insert', 'when not matched and not (' ~ is_tombstone ~ ') then insert')) }}
{%- endmacro %}


{#-
    Commits what a run-operation changed: dbt commits a model's statements itself, not a
    macro's. DuckDB (and other transactional adapters): the open transaction is committed.
    BigQuery: nothing to do, every statement is its own job.
-#}
{% macro commit_changes() -%}
    {{ return(adapter.dispatch('commit_changes', 'mozilla_accounts')()) }}
{%- endmacro %}

{% macro default__commit_changes() -%}
    {%- do adapter.commit() -%}
{%- endmacro %}

{% macro bigquery__commit_changes() -%}
{%- endmacro %}
