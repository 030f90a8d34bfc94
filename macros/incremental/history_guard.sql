{#-
    History beyond retention. Glean drops events_stream partitions after 775 days (sources yml
    `partition_expiration_days`), and the replicas keep no history at all, so past that
    horizon the project's incremental tables are the system of record: rebuilding them from
    what the raw tables still hold would silently, permanently drop the rest. On BigQuery
    (the production target and the emulator) two things are refused unless
    var('allow_history_rebuild') is true, each with a message saying what would be lost:

    * refuse_history_rebuild, a pre-hook of every model: a --full-refresh of an incremental
      model whose table exists;
    * refuse_window_past_retention, called by event_window: a window (a backfill, a daily
      run of an old date) that starts before the retention horizon, whose static
      insert_overwrite would replace the window's partitions with what is left of them.

    DuckDB rebuilds freely (local data).
-#}
{% macro refuse_history_rebuild() %}
    {%- if not execute or target.type != 'bigquery' or config.get('materialized') != 'incremental' -%}
        {{ return('') }}
    {%- endif -%}
    {%- if not should_full_refresh() or var('allow_history_rebuild', false) -%}
        {{ return('') }}
    {%- endif -%}
    {%- set existing = adapter.get_relation(database=this.database, schema=this.schema, identifier=this.identifier) -%}
    {%- if existing is none -%}
        {{ return('') }}
    {%- endif -%}
    {%- set column = (config.get('meta') or {}).get('window_column') -%}
    {%- set held = run_query('select min(' ~ column ~ ') as first_day, max(' ~ column ~ ') as last_day, count(*) as row_count from ' ~ this) -%}
    {%- set first_day, last_day, row_count = held.rows[0][0], held.rows[0][1], held.rows[0][2] -%}
    {%- set expiring = expiring_sources_upstream(model.unique_id) -%}
    {%- if column == 'snapshot_date' -%}
        {%- set lost = "the accounts-database replicas keep no history, so every snapshot it holds ("
                       ~ first_day ~ " to " ~ last_day ~ ") would be lost" -%}
    {%- elif expiring and first_day is not none and first_day | string < raw_retention_horizon() | string -%}
        {%- set lost = "its " ~ column ~ " runs from " ~ first_day ~ "; the partitions of " ~ expiring | join(', ')
                       ~ " before " ~ raw_retention_horizon() ~ " have expired (" ~ raw_retention_days()
                       ~ "-day retention), so every day from " ~ first_day ~ " to the day before "
                       ~ raw_retention_horizon() ~ " would be permanently lost" -%}
    {%- elif expiring -%}
        {%- set lost = "its " ~ column ~ " runs from " ~ first_day ~ " to " ~ last_day ~ ", still within the "
                       ~ raw_retention_days() ~ "-day retention of " ~ expiring | join(', ')
                       ~ " today, but history it holds will not be rebuildable once that passes" -%}
    {%- else -%}
        {%- set lost = "its " ~ column ~ " runs from " ~ first_day ~ " to " ~ last_day
                       ~ "; its raw sources keep every partition today, but a rebuild replaces history "
                       ~ "the project keeps as its record" -%}
    {%- endif -%}
    {{ exceptions.raise_compiler_error(
        "Refusing --full-refresh of " ~ this ~ " (" ~ row_count ~ " rows) on the " ~ target.name
        ~ " target: " ~ lost ~ ". The incremental tables are the system of record past the raw "
        ~ "retention horizon. To rebuild anyway, run again with --vars '{allow_history_rebuild: true}'.") }}
{% endmacro %}


{#- Raises when an explicit `window` starts before the retention horizon of expiring sources. -#}
{% macro refuse_window_past_retention(window) %}
    {%- if window is none or not raw_partitions_expire() or var('allow_history_rebuild', false) -%}
        {{ return('') }}
    {%- endif -%}
    {%- set horizon = raw_retention_horizon() -%}
    {%- if window.start < horizon -%}
        {{ exceptions.raise_compiler_error(
            "Refusing the window " ~ window.start ~ ".." ~ window.end ~ " on the " ~ target.name ~ " target: "
            ~ "raw Glean partitions before " ~ horizon ~ " have expired (" ~ raw_retention_days()
            ~ "-day retention), so rebuilding " ~ window.start ~ " to the day before " ~ horizon
            ~ " would replace the history kept in the incremental tables with what little is left. "
            ~ "Backfill from " ~ horizon ~ " on, or run again with --vars '{allow_history_rebuild: true}'.") }}
    {%- endif -%}
{% endmacro %}


{#-
    Whether the raw tables drop partitions past their `partition_expiration_days`: Mozilla's
    tables do (the bigquery target); the emulator's and DuckDB's copies, built from the
    sample, keep everything. var('raw_partitions_expire') (true/false) overrides, so the
    emulator can exercise the production rule.
-#}
{% macro raw_partitions_expire() %}
    {%- set forced = var('raw_partitions_expire', none) -%}
    {%- if forced is not none -%}
        {{ return(forced in (true, 'true', 'True', 1, '1')) }}
    {%- endif -%}
    {{ return(target.type == 'bigquery' and target.name != 'emulator') }}
{% endmacro %}


{#- The shortest partition expiration of the project's raw sources, in days. -#}
{% macro raw_retention_days() %}
    {%- set days = [] -%}
    {%- for node in graph.sources.values() if node.package_name == project_name -%}
        {%- set meta = node.config.meta or node.meta or {} -%}
        {%- if meta.get('partition_expiration_days') -%}
            {%- do days.append(meta.partition_expiration_days | int) -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return(days | min if days else 775) }}
{% endmacro %}


{#-
    The oldest day whose raw partitions still exist, as 'YYYY-MM-DD': the partition of day D
    expires when D + expiration days has passed, so today minus the expiration has gone and
    the day after it is the oldest kept.
-#}
{% macro raw_retention_horizon() %}
    {%- set today = run_started_at.astimezone(modules.pytz.utc).date() -%}
    {{ return((today - modules.datetime.timedelta(days=raw_retention_days() - 1)).isoformat()) }}
{% endmacro %}


{#- The raw sources with a partition expiration that `unique_id` is built from, by name. -#}
{% macro expiring_sources_upstream(unique_id) %}
    {%- set found = [] -%}
    {%- set seen = [] -%}
    {%- set pending = [unique_id] -%}
    {%- for _ in range(200) if pending -%}
        {%- set current = pending.pop() -%}
        {%- if current in graph.sources -%}
            {%- set meta = graph.sources[current].config.meta or {} -%}
            {%- if meta.get('partition_expiration_days') -%}
                {%- do found.append(graph.sources[current].source_name ~ '.' ~ graph.sources[current].name) -%}
            {%- endif -%}
        {%- elif current in graph.nodes -%}
            {%- for parent in graph.nodes[current].depends_on.nodes if parent not in seen -%}
                {%- do seen.append(parent) -%}
                {%- do pending.append(parent) -%}
            {%- endfor -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return(found | unique | sort) }}
{% endmacro %}
