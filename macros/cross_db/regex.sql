{#- True when the whole string matches the regular expression (RE2 syntax on both engines). -#}
{% macro regex_full_match(expression, pattern) -%}
    {{ return(adapter.dispatch('regex_full_match', 'mozilla_accounts')(expression, pattern)) }}
{%- endmacro %}

{% macro default__regex_full_match(expression, pattern) -%}
    regexp_contains({{ expression }}, r'^(?:{{ pattern }})$')
{%- endmacro %}

{% macro duckdb__regex_full_match(expression, pattern) -%}
    regexp_full_match({{ expression }}, '{{ pattern }}')
{%- endmacro %}

{#- Every match of the regular expression replaced (RE2 syntax on both engines). -#}
{% macro regex_replace_all(expression, pattern, replacement) -%}
    {{ return(adapter.dispatch('regex_replace_all', 'mozilla_accounts')(expression, pattern, replacement)) }}
{%- endmacro %}

{% macro default__regex_replace_all(expression, pattern, replacement) -%}
    regexp_replace({{ expression }}, r'{{ pattern }}', '{{ replacement }}')
{%- endmacro %}

{% macro duckdb__regex_replace_all(expression, pattern, replacement) -%}
    regexp_replace({{ expression }}, '{{ pattern }}', '{{ replacement }}', 'g')
{%- endmacro %}

{#-
    The string without leading or trailing whitespace of any kind (tabs, line breaks,
    no-break spaces): trim() strips only spaces on DuckDB but all whitespace on BigQuery,
    so a value must not depend on which engine trims it.
-#}
{% macro trim_whitespace(expression) -%}
    {{ regex_replace_all(expression, '^[\\s\\x{00a0}]+|[\\s\\x{00a0}]+$', '') }}
{%- endmacro %}
