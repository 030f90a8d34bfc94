{#-
    JSON extraction. BigQuery stores Glean `event_extra` as JSON and legacy properties as
    JSON text in STRING columns; a Parquet export or the DuckDB sample keeps both as text.
    Invalid JSON yields NULL on both engines instead of failing the query.
-#}

{#- Scalar at `path` (e.g. '$.reason') of a JSON-typed column, as a string. -#}
{% macro json_scalar(expression, path) -%}
    {{ return(adapter.dispatch('json_scalar', 'mozilla_accounts')(expression, path)) }}
{%- endmacro %}

{% macro default__json_scalar(expression, path) -%}
    json_value({{ expression }}, '{{ path }}')
{%- endmacro %}

{% macro duckdb__json_scalar(expression, path) -%}
    case when json_valid({{ expression }}) then json_extract_string({{ expression }}, '{{ path }}') end
{%- endmacro %}


{#- Scalar at `path` of a STRING column holding JSON text. -#}
{% macro json_text_scalar(expression, path) -%}
    {{ return(adapter.dispatch('json_text_scalar', 'mozilla_accounts')(expression, path)) }}
{%- endmacro %}

{% macro default__json_text_scalar(expression, path) -%}
    json_value(safe.parse_json({{ expression }}), '{{ path }}')
{%- endmacro %}

{% macro duckdb__json_text_scalar(expression, path) -%}
    {{ duckdb__json_scalar(expression, path) }}
{%- endmacro %}


{#- True when a JSON column (or JSON text) is present but cannot be parsed. -#}
{% macro json_is_malformed(expression, is_text=false) -%}
    {{ return(adapter.dispatch('json_is_malformed', 'mozilla_accounts')(expression, is_text)) }}
{%- endmacro %}

{% macro default__json_is_malformed(expression, is_text) -%}
    {%- if is_text -%}
    ({{ expression }} is not null and safe.parse_json({{ expression }}) is null)
    {%- else -%}
    {#- A BigQuery JSON column cannot hold invalid JSON. -#}
    false
    {%- endif -%}
{%- endmacro %}

{% macro duckdb__json_is_malformed(expression, is_text) -%}
    ({{ expression }} is not null and not coalesce(json_valid({{ expression }}), false))
{%- endmacro %}


{#- JSON column rendered as compact JSON text (NULL stays NULL). -#}
{% macro json_to_text(expression) -%}
    {{ return(adapter.dispatch('json_to_text', 'mozilla_accounts')(expression)) }}
{%- endmacro %}

{% macro default__json_to_text(expression) -%}
    to_json_string({{ expression }})
{%- endmacro %}

{% macro duckdb__json_to_text(expression) -%}
    case when json_valid({{ expression }}) then cast(json({{ expression }}) as varchar) end
{%- endmacro %}
