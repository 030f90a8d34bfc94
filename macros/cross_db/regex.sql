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
