{#-
    What BigQuery's storage of the raw tables requires of every query, read from the
    sources yml (`config.meta` of each table: partition_column, require_partition_filter,
    partition_expiration_days, landed_from_var / landed_before_var, last_partition_var).
    Staging, the reconciliation test, source tests (macros/quality/test_window.sql), the
    freshness query and the landed-data check all bound their reads with these.
-#}

{#- The source node of `source_name`.`table_name` (a dict), only when executing. -#}
{% macro raw_source_node(source_name, table_name) %}
    {%- set matches = graph.sources.values() | selectattr('source_name', 'equalto', source_name)
                      | selectattr('name', 'equalto', table_name) | list -%}
    {%- if matches | length != 1 -%}
        {{ exceptions.raise_compiler_error("unknown source " ~ source_name ~ "." ~ table_name) }}
    {%- endif -%}
    {{ return(matches[0]) }}
{% endmacro %}


{#- The `config.meta` of a source table (empty while parsing). -#}
{% macro raw_source_meta(source_name, table_name) %}
    {%- if not execute -%}{{ return({}) }}{%- endif -%}
    {%- set node = raw_source_node(source_name, table_name) -%}
    {{ return(node.config.meta or node.meta or {}) }}
{% endmacro %}


{#-
    Predicate bounding a read of a raw table to `window` ({'start', 'end'} or none) on its
    partition column: the window's partitions, or for a full build everything from
    var('history_start_date') on (BigQuery; DuckDB reads everything). 'true' for an
    unpartitioned table (the replicas).
-#}
{% macro raw_partition_filter(source_name, table_name, window) -%}
    {%- set column = raw_source_meta(source_name, table_name).get('partition_column') -%}
    {%- if column -%}
        {{ window_filter_timestamp(column, window) }}
    {%- else -%}
        true
    {%- endif -%}
{%- endmacro %}


{#-
    The days of a source whose raw partitions still exist, as a window (none when its
    partitions never expire here): from the retention horizon (or var('history_start_date'),
    when later) to today. Full-history checks compare raw and staged rows over these days.
-#}
{% macro raw_retained_window(source_name, table_name) %}
    {%- if not execute or not raw_partitions_expire()
            or not raw_source_meta(source_name, table_name).get('partition_expiration_days') -%}
        {{ return(none) }}
    {%- endif -%}
    {%- set today = run_started_at.astimezone(modules.pytz.utc).date().isoformat() -%}
    {%- set start = [raw_retention_horizon(), var('history_start_date')] | max -%}
    {{ return({'start': start, 'end': today}) }}
{% endmacro %}


{#-
    Whether a run with `window` reads a raw table at all: not when the window starts after
    the table's last partition (meta last_partition_var: the legacy flow logs).
-#}
{% macro raw_source_read_in(source_name, table_name, window) %}
    {%- set last_var = raw_source_meta(source_name, table_name).get('last_partition_var') -%}
    {%- if window is none or not last_var -%}
        {{ return(true) }}
    {%- endif -%}
    {{ return(fxa_parse_date(window.start, 'window start') <= fxa_parse_date(var(last_var), last_var)) }}
{% endmacro %}


{#-
    loaded_at_query of the event sources for `dbt source freshness`: the newest partition
    value within var('freshness_lookback_hours') (default 96, more than the 72-hour error
    threshold), else the start of that span, so a source with nothing recent reports at
    least that age instead of failing on a NULL. Bounded by a constant on the partition
    column, as BigQuery requires. `this` is the source table.
-#}
{% macro raw_freshness_query(column) -%}
    {%- set since = hours_before_now(var('freshness_lookback_hours', 96)) -%}
    select coalesce(max({{ column }}), {{ since }}) as max_loaded_at
    from {{ this }}
    where {{ column }} >= {{ since }}
{%- endmacro %}


{#-
    Stops a daily run or backfill batch whose raw data has not landed (scripts/fxa_run.py
    runs it before it builds):

        dbt run-operation check_landed_data --args '{start_date: 2024-06-09, end_date: 2024-06-09}'

    For each event source the project reads on those dates (meta landed_from_var: on and
    after that var's date; landed_before_var: before it; last_partition_var: never after that
    date), counts its rows per day in one query bounded to those days' partitions, and
    raises, naming every source and date without rows. A window reaching before the raw
    retention horizon is refused first (macros/incremental/history_guard.sql).
-#}
{% macro check_landed_data(start_date, end_date=none) %}
    {%- if not execute -%}{{ return('') }}{%- endif -%}
    {%- set first = fxa_parse_date(start_date, 'start_date') -%}
    {%- set last = fxa_parse_date(end_date or start_date, 'end_date') -%}
    {%- set window = {'start': first.isoformat(), 'end': last.isoformat()} -%}
    {%- do refuse_window_past_retention(window) -%}
    {%- set missing = [] -%}
    {%- set checked = [] -%}
    {%- for node in graph.sources.values() | sort(attribute='unique_id') if node.package_name == project_name -%}
        {%- set meta = node.config.meta or node.meta or {} -%}
        {%- set expected = [] -%}
        {%- for day in event_window_dates(window) -%}
            {%- if meta.get('partition_column') and raw_source_expected_on(meta, fxa_parse_date(day, 'day')) -%}
                {%- do expected.append(day) -%}
            {%- endif -%}
        {%- endfor -%}
        {%- if expected -%}
            {%- set relation = api.Relation.create(database=node.database, schema=node.schema, identifier=node.identifier) -%}
            {%- set counted = run_query(
                    'select cast(cast(' ~ to_utc_timestamp(meta.partition_column) ~ ' as date) as ' ~ dbt.type_string()
                    ~ ') as day, count(*) as row_count from ' ~ relation ~ ' where '
                    ~ window_filter_timestamp(meta.partition_column, window) ~ ' group by 1') -%}
            {%- set present = {} -%}
            {%- for row in counted.rows -%}
                {%- do present.update({row[0] | string: row[1]}) -%}
            {%- endfor -%}
            {%- set absent = expected | reject('in', present) | list -%}
            {%- do checked.append(node.source_name ~ '.' ~ node.name ~ ' ' ~ (present.values() | sum) ~ ' rows') -%}
            {%- if absent -%}
                {%- do missing.append(node.source_name ~ '.' ~ node.name ~ ' has no rows with '
                                      ~ meta.partition_column ~ ' on ' ~ absent | join(', ')) -%}
            {%- endif -%}
        {%- endif -%}
    {%- endfor -%}
    {%- set span = first ~ ('..' ~ last if last != first else '') -%}
    {%- if missing -%}
        {{ exceptions.raise_compiler_error(
            "raw data for " ~ span ~ " has not landed: " ~ missing | join('; ')
            ~ ". Nothing was built; run the date again once the partitions exist.") }}
    {%- endif -%}
    {{ log('raw data for ' ~ span ~ ' has landed: ' ~ checked | join(', '), info=true) }}
{% endmacro %}


{#- Whether a source with storage `meta` is expected to have rows on the date `day`. -#}
{% macro raw_source_expected_on(meta, day) %}
    {%- set from_var = meta.get('landed_from_var') -%}
    {%- set before_var = meta.get('landed_before_var') -%}
    {%- set last_var = meta.get('last_partition_var') -%}
    {%- if from_var and day < fxa_parse_date(var(from_var), from_var) -%}
        {{ return(false) }}
    {%- endif -%}
    {%- if before_var and day >= fxa_parse_date(var(before_var), before_var) -%}
        {{ return(false) }}
    {%- endif -%}
    {%- if last_var and day > fxa_parse_date(var(last_var), last_var) -%}
        {{ return(false) }}
    {%- endif -%}
    {{ return(true) }}
{% endmacro %}
