{#- Lower-case hex SHA-256 of a string: the construction of `user_id_sha256`. -#}
{% macro sha256_hex(expression) -%}
    {{ return(adapter.dispatch('sha256_hex', 'mozilla_accounts')(expression)) }}
{%- endmacro %}

{% macro default__sha256_hex(expression) -%}
    to_hex(sha256({{ expression }}))
{%- endmacro %}

{% macro duckdb__sha256_hex(expression) -%}
    sha256({{ expression }})
{%- endmacro %}


{#- Lower-case hex MD5 of a string. -#}
{% macro md5_hex(expression) -%}
    {{ return(adapter.dispatch('md5_hex', 'mozilla_accounts')(expression)) }}
{%- endmacro %}

{% macro default__md5_hex(expression) -%}
    to_hex(md5({{ expression }}))
{%- endmacro %}

{% macro duckdb__md5_hex(expression) -%}
    md5({{ expression }})
{%- endmacro %}


{#-
    Surrogate key of a list of column expressions: MD5 hex of the values joined by '|',
    NULL written as a marker so that (NULL, 'a') and ('', 'a') differ.
-#}
{% macro surrogate_key(expressions) -%}
    {%- set parts = [] -%}
    {%- for expression in expressions -%}
        {%- do parts.append("coalesce(cast(" ~ expression ~ " as " ~ dbt.type_string() ~ "), '<null>')") -%}
    {%- endfor -%}
    {{ md5_hex("concat(" ~ parts | join(", '|', ") ~ ")") }}
{%- endmacro %}
