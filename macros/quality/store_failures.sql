{#-
    The first rows of the relations where data tests stored their failures (dbt_project.yml,
    data_tests +store_failures), for scripts/fxa_run.py's report of a failed build:

        dbt run-operation stored_failure_rows --args '{relations: ["<relation>", ...], limit: 5}'

    `relations` are the relation_name of failed tests in run_results.json, already quoted
    for the target. Prints one line per relation, `stored failures ` and a JSON object
    {relation, columns, rows}, every value as text (NULL as null), on DuckDB and BigQuery
    alike (printed, not logged: --quiet leaves it). Reads the stored rows only, never a
    model or source.
-#}
{% macro stored_failure_rows(relations, limit=5) %}
    {%- if not execute -%}{{ return('') }}{%- endif -%}
    {%- for relation in relations -%}
        {%- set table = run_query('select * from ' ~ relation ~ ' limit ' ~ (limit | int)) -%}
        {%- set rows = [] -%}
        {%- for row in table.rows -%}
            {%- set values = [] -%}
            {%- for value in row -%}
                {%- do values.append(none if value is none else value | string) -%}
            {%- endfor -%}
            {%- do rows.append(values) -%}
        {%- endfor -%}
        {%- do print('stored failures ' ~ tojson({'relation': relation, 'columns': table.column_names | list,
                                                  'rows': rows})) -%}
    {%- endfor -%}
{% endmacro %}
