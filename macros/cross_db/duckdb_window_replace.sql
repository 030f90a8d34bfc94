{#-
    DuckDB's counterpart of BigQuery's static insert_overwrite, as the custom incremental
    strategy `window_replace` (config in macros/incremental/incremental_config.sql):
    every date of the run's event window is deleted, then the new rows are inserted.
    dbt's delete+insert deletes only the dates the new rows have, so a day re-delivered
    empty kept its old rows. The window is recomputed with the same macro the model used
    (event_window reads the destination before this statement changes it). Dates of new
    rows outside the window are replaced too, as delete+insert would, and so are rows
    without a date: the quarantine's rows that no window covers (outside_history_filter)
    are read again by every run.
-#}
{% macro get_incremental_window_replace_sql(arg_dict) %}
    {%- set target = arg_dict['target_relation'] -%}
    {%- set new_rows = arg_dict['temp_relation'] -%}
    {%- set date_column = arg_dict['unique_key'] -%}
    {%- set window = event_window(date_column) -%}
    {%- if window is none -%}
        {{ exceptions.raise_compiler_error("window_replace on " ~ target ~ " without an event window") }}
    {%- endif -%}
    {%- set columns = arg_dict['dest_columns'] | map(attribute='quoted') | join(', ') -%}
    delete from {{ target }}
    where
        {{ window_filter_date(date_column, window) }}
        or {{ date_column }} in (select new_dates.{{ date_column }} from {{ new_rows }} as new_dates)
        or {{ date_column }} is null;

    insert into {{ target }} ({{ columns }})
    select {{ columns }} from {{ new_rows }}
{% endmacro %}
