{#- `*` without the listed columns (BigQuery EXCEPT, DuckDB EXCLUDE). -#}
{% macro star_except(columns, relation_alias=none) -%}
    {{ return(adapter.dispatch('star_except', 'mozilla_accounts')(columns, relation_alias)) }}
{%- endmacro %}

{% macro default__star_except(columns, relation_alias) -%}
    {{ relation_alias ~ '.' if relation_alias }}* except ({{ columns | join(', ') }})
{%- endmacro %}

{% macro duckdb__star_except(columns, relation_alias) -%}
    {{ relation_alias ~ '.' if relation_alias }}* exclude ({{ columns | join(', ') }})
{%- endmacro %}
