{#-
    Reads of a raw event table through its base model.

    Each raw table has one reader, its base model (models/staging/<source>/base_*.sql):
    the partition filter, the renames and casts, and the verdict `quarantine_reason` (NULL:
    keep). Its staging model keeps the rows without a verdict and the event quarantine
    (int_quarantined_event_rows) the others. A base is ephemeral: dbt compiles it once per
    invocation and inlines that SQL into every model that refs it, in its own context, where
    `this` is a CTE and is_incremental() is false, so it cannot take the window of the model
    it is inlined into. Instead:

    * every reader describes what it reads of a base with event_read(): its run window (its
      own event_window(), from its own table), and for the quarantine also the rows no
      window covers (DuckDB) and no window past a table's last partition;
    * the base reads the union of what its readers selected in this run read
      (event_base_filter), as one range of constant bounds on the raw partition column in
      its own SELECT over the source, as BigQuery requires of every query;
    * every reader keeps its own part of it with the same predicate on the same raw column
      (event_read_filter), so it reads exactly the dates it replaces, as when it read the
      raw table itself.

    A reader's window depends on its own table only, which it alone writes, and it has not
    run when the base is compiled (at the first compile of any of its readers), so the
    base's range holds every reader's window in any run order, with any number of threads.
    The readers of one source normally have the same window (a daily run: the same explicit
    dates, no later dates built), and then the range is exactly that window: every raw
    table is read once per reader, as before the bases, and no wider. When they differ (an
    unwindowed run, whose start is the latest date each table holds), BigQuery prunes each
    reader's scan to its own bound, which the reader's filter applies to the raw partition
    column passed through the base unchanged.
-#}

{#-
    What a reader of a base reads, as {'window', 'reads_window', 'outside_history'}:
    its run `window` (none: everything); whether it reads that window at all; whether it
    also reads the rows no window covers (outside_history_filter). `rows` is the reader's
    part: 'kept' (a staging model) or 'quarantined' (the event quarantine, config
    meta.base_rows), which on DuckDB also takes the rows without a usable submission time
    whatever the window (reads_rows_outside_history) and reads no window of a table past
    its last partition (raw_source_read_in: the legacy flow logs).
-#}
{% macro event_read(window, source_name, table_name, rows='kept') %}
    {%- if rows == 'quarantined' -%}
        {{ return({'window': window,
                   'reads_window': raw_source_read_in(source_name, table_name, window),
                   'outside_history': window is not none and reads_rows_outside_history()}) }}
    {%- endif -%}
    {{ return({'window': window, 'reads_window': true, 'outside_history': false}) }}
{% endmacro %}


{#-
    The predicate of a read (event_read, or the union of reads of event_base_filter) on a
    raw TIMESTAMP partition column: the window's half-open range of constants, everything
    (full_history_filter) for a window of none, or'ed with the rows outside history when
    the read takes them. A read of nothing is an empty range of constants, still a
    partition filter.
-#}
{% macro event_read_filter(column, read) -%}
    {%- if read.reads_window and read.window is none -%}
        {%- set in_window = full_history_filter(column) -%}
    {%- elif read.reads_window -%}
        {%- set in_window = window_filter_timestamp(column, read.window) -%}
    {%- else -%}
        {%- set in_window = none -%}
    {%- endif -%}
    {%- if in_window is not none and read.outside_history -%}
        ({{ in_window }} or {{ outside_history_filter(column) }})
    {%- elif in_window is not none -%}
        {{ in_window }}
    {%- elif read.outside_history -%}
        {{ outside_history_filter(column) }}
    {%- else -%}
        {%- set start = var('history_start_date') -%}
        {{ column }} >= cast('{{ start }} 00:00:00+00' as timestamp)
        and {{ column }} < cast('{{ start }} 00:00:00+00' as timestamp)
    {%- endif -%}
{%- endmacro %}


{#-
    The partition filter of a base model's read of `source_name`.`table_name` on its raw
    partition `column`: the union of the reads (event_read) of the models that ref the base
    and are selected in this run (all of them when none is, e.g. `dbt compile` of the base
    alone), each with the window node_event_window() finds for it. The windows are joined
    into one range from the earliest start to the latest end (BigQuery prunes partitions
    only on a conjunction of bounds), a reader without a window makes it everything.
    A unit test of a base reads its fixture whole.
-#}
{% macro event_base_filter(source_name, table_name, column) -%}
    {%- if this is none or model.resource_type == 'unit_test' or not execute -%}
        {{ return(event_read_filter(column, {'window': none, 'reads_window': true, 'outside_history': false})) }}
    {%- endif -%}
    {%- set readers = [] -%}
    {%- for node in graph.nodes.values()
            if node.resource_type == 'model' and model.unique_id in node.depends_on.nodes -%}
        {%- do readers.append(node) -%}
    {%- endfor -%}
    {%- set selected = readers | selectattr('unique_id', 'in', selected_resources or []) | list -%}
    {%- set reads = [] -%}
    {%- for node in (selected or readers) -%}
        {%- do reads.append(event_read(node_event_window(node), source_name, table_name,
                                       (node.config.meta or {}).get('base_rows', 'kept'))) -%}
    {%- endfor -%}
    {%- set windowed = reads | selectattr('reads_window') | list -%}
    {%- set union = {'window': none, 'reads_window': windowed | length > 0,
                     'outside_history': reads | selectattr('outside_history') | list | length > 0} -%}
    {%- if windowed and none not in windowed | map(attribute='window') | list -%}
        {%- do union.update({'window': {
            'start': windowed | map(attribute='window') | map(attribute='start') | min,
            'end': windowed | map(attribute='window') | map(attribute='end') | max}}) -%}
    {%- endif -%}
    {{ return(event_read_filter(column, union)) }}
{%- endmacro %}
