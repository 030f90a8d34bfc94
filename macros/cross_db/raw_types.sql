{#-
    Raw-source types and nesting, used by macros/raw_sources/ to build source-shaped
    tables (STRUCT `metrics`, JSON `event_extra`) on either engine. `data_type` is the
    BigQuery type declared for a source column in its sources yml.
-#}

{#- SQL type of a raw column of BigQuery type `data_type` on this engine. -#}
{% macro raw_column_type(data_type) -%}
    {{ return(adapter.dispatch('raw_column_type', 'mozilla_accounts')(data_type)) }}
{%- endmacro %}

{% macro default__raw_column_type(data_type) -%}
    {%- set types = {'string': 'string', 'int64': 'int64', 'bool': 'bool', 'timestamp': 'timestamp',
                     'json': 'json', 'numeric': 'numeric', 'float64': 'float64', 'date': 'date'} -%}
    {{ return(types[data_type | lower]) }}
{%- endmacro %}

{% macro duckdb__raw_column_type(data_type) -%}
    {#- As a BigQuery EXPORT DATA to Parquet reads back: JSON as text, instants with time zone. -#}
    {%- set types = {'string': 'varchar', 'int64': 'bigint', 'bool': 'boolean', 'timestamp': 'timestamptz',
                     'json': 'varchar', 'numeric': 'decimal(38, 9)', 'float64': 'double', 'date': 'date'} -%}
    {{ return(types[data_type | lower]) }}
{%- endmacro %}


{#- Cast text (as loaded from a CSV seed) to the raw column type. -#}
{% macro cast_text_to_raw_type(expression, data_type) -%}
    {{ return(adapter.dispatch('cast_text_to_raw_type', 'mozilla_accounts')(expression, data_type)) }}
{%- endmacro %}

{% macro default__cast_text_to_raw_type(expression, data_type) -%}
    {%- if data_type | lower == 'json' -%}
        safe.parse_json({{ expression }})
    {%- else -%}
        cast({{ expression }} as {{ raw_column_type(data_type) }})
    {%- endif -%}
{%- endmacro %}

{% macro duckdb__cast_text_to_raw_type(expression, data_type) -%}
    cast({{ expression }} as {{ raw_column_type(data_type) }})
{%- endmacro %}


{#- A STRUCT value from a list of (field name, expression) pairs. -#}
{% macro struct_pack(fields) -%}
    {{ return(adapter.dispatch('struct_pack', 'mozilla_accounts')(fields)) }}
{%- endmacro %}

{% macro default__struct_pack(fields) -%}
    struct(
    {%- for name, expression in fields %}
        {{ expression }} as {{ adapter.quote(name) }}{{ ',' if not loop.last }}
    {%- endfor %}
    )
{%- endmacro %}

{% macro duckdb__struct_pack(fields) -%}
    struct_pack(
    {%- for name, expression in fields %}
        {{ adapter.quote(name) }} := {{ expression }}{{ ',' if not loop.last }}
    {%- endfor %}
    )
{%- endmacro %}
