{#-
    One-off upgrade of a deployment built before the all-reliers rows became their own
    model (int_account_first_seen): deletes the rows with the old sentinel relier_id
    'all_reliers' from the per-relier tables, which would otherwise be counted as if
    'all_reliers' were a relier. Run once, before the first build
    of the new version:
        dbt run-operation remove_all_reliers_rows --target bigquery
    The new account models then build from the per-relier state the tables keep. Both
    engines; a table that does not exist yet is skipped.
-#}
{% macro remove_all_reliers_rows() %}
    {%- for name in ['int_user_activity_daily', 'int_user_first_seen'] %}
        {%- set node = graph.nodes['model.' ~ project_name ~ '.' ~ name] %}
        {%- set relation = adapter.get_relation(database=node.database, schema=node.schema, identifier=node.alias) %}
        {%- if relation is none %}
            {{ log(name ~ ': not built, nothing to remove', info=true) }}
        {%- else %}
            {%- do run_query("delete from " ~ relation ~ " where relier_id = 'all_reliers'") %}
            {%- do commit_changes() %}
            {{ log(name ~ ': all_reliers rows removed', info=true) }}
        {%- endif %}
    {%- endfor %}
{% endmacro %}
