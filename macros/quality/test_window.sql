{#-
    Data tests that cost a day. dbt wraps the relation every data test reads in
    get_where_subquery (the `where` test config); this project's version adds, to any
    `where` a test sets itself:

    * on a source whose BigQuery table requires a partition filter (sources yml
      `config.meta.require_partition_filter`): a constant bound on its partition column,
      the run window's partitions or, without a window, everything from
      var('history_start_date') on, so the test is valid SQL on BigQuery at all;
    * on a model whose `meta.window_column` is set (the incremental event models, by
      macros/incremental/incremental_config.sql), in a run given an explicit window (vars
      start_date/end_date or FXA_START_DATE/FXA_END_DATE, as scripts/fxa_run.py runs every
      daily and backfill batch): that column inside the window, so a daily run tests the
      partitions it rebuilt, not the whole history.

    Without an explicit window (make build, `fxa_run.py audit`, a full build) tests read
    everything: the full-history checks.
-#}
{% macro get_where_subquery(relation) -%}
    {%- set conditions = [] -%}
    {%- set where = config.get('where') -%}
    {%- if where -%}
        {%- do conditions.append('(' ~ where ~ ')') -%}
    {%- endif -%}
    {%- set bound = test_window_predicate(relation) -%}
    {%- if bound -%}
        {%- do conditions.append(bound) -%}
    {%- endif -%}
    {%- if conditions -%}
        {%- set filtered -%}
            (select * from {{ relation }} where {{ conditions | join(' and ') }}) dbt_subquery
        {%- endset -%}
        {{ return(filtered) }}
    {%- endif -%}
    {{ return(relation) }}
{%- endmacro %}


{#- The window predicate for a test reading `relation`, or none. -#}
{% macro test_window_predicate(relation) %}
    {%- if not execute or relation is none or relation.identifier is none -%}
        {{ return(none) }}
    {%- endif -%}
    {%- set window = explicit_run_window() -%}
    {%- set schema = relation.schema | lower -%}
    {%- set identifier = relation.identifier | lower -%}
    {%- for source_node in graph.sources.values()
            if source_node.schema | lower == schema and source_node.identifier | lower == identifier -%}
        {%- set meta = source_node.config.meta or source_node.meta or {} -%}
        {%- if meta.get('partition_column') and (meta.get('require_partition_filter') or window is not none) -%}
            {{ return(window_filter_timestamp(meta.partition_column, window)) }}
        {%- endif -%}
        {{ return(none) }}
    {%- endfor -%}
    {%- if window is none -%}
        {{ return(none) }}
    {%- endif -%}
    {%- for node in graph.nodes.values()
            if node.resource_type == 'model'
            and node.schema | lower == schema and (node.alias or node.name) | lower == identifier -%}
        {%- set column = (node.config.meta or {}).get('window_column') -%}
        {%- if column -%}
            {{ return(window_filter_date(column, window)) }}
        {%- endif -%}
    {%- endfor -%}
    {{ return(none) }}
{% endmacro %}
