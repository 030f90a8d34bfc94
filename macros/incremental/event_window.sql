{#-
    The window of submission dates an incremental run processes, as
    {'start': 'YYYY-MM-DD', 'end': 'YYYY-MM-DD'} (inclusive), or none for a full build.

    * vars start_date and end_date (end defaults to start): exactly those dates; the
      environment variables FXA_START_DATE and FXA_END_DATE are the same setting, for
      schedulers: changing --vars makes dbt re-parse the whole project, and these are
      read only at run time, so changing them re-parses nothing (about 3 s less per run);
    * in an incremental run with an explicit window, the dates already built in the
      var('rebuild_following_days') after it are added (with_following_built_days below;
      rebuild_following=false for a model that a later date cannot depend on);
    * otherwise, in an incremental run: from the latest date already built in this model
      (today when it is empty) minus var('lookback_days') (late-arriving events) through
      today (UTC): the latest date present in the raw data, since nothing is submitted in
      the future;
    * otherwise (first run, --full-refresh): none, everything.

    Every incremental event model filters its reads with window_filter_* below, and the
    BigQuery insert_overwrite replaces exactly the partitions of this window. A model that
    reads raw events reads them through its source's base model, which is ephemeral and so
    compiled once for all its readers, where this macro would give the base's own (empty)
    answer: the base reads the span of its readers' windows (node_event_window below,
    macros/staging/base_reads.sql) and each reader keeps its own window of it.
-#}
{% macro event_window(date_column='submission_date', rebuild_following=true) %}
    {#- Unit tests render models without a relation of their own: a full build of the
        fixtures, whatever window the surrounding run was given. -#}
    {%- if this is none -%}
        {{ return(none) }}
    {%- endif -%}
    {%- set window = event_window_of(this, is_incremental(), date_column, rebuild_following) -%}
    {{ return(with_preceding_days(window, date_column)) }}
{% endmacro %}


{#-
    The window extended back by the model's meta.window_preceding_days (set by
    event_incremental_config(preceding_days=N)) when `date_column` is its window column,
    else the window itself. For a model whose rows of a date depend on the events of the N
    days after it (a retention cohort on its next 28 days): a run of dates D..E rewrites
    its rows of D-N..E, in its SELECT and in the write (both call event_window()).
-#}
{% macro with_preceding_days(window, date_column) %}
    {%- set meta = config.get('meta') or {} -%}
    {%- set preceding = meta.get('window_preceding_days') or 0 -%}
    {%- if window is none or (preceding | int) <= 0 or meta.get('window_column') != date_column -%}
        {{ return(window) }}
    {%- endif -%}
    {%- set start = modules.datetime.date.fromisoformat(window.start) - modules.datetime.timedelta(days=preceding | int) -%}
    {{ return({'start': start.isoformat(), 'end': window.end}) }}
{% endmacro %}


{#-
    event_window() of a model given as its `relation` and whether this run builds it
    incrementally (`incremental`): what event_window returns in that model's own context.
    The base models compute their consumers' windows with it (node_event_window below).
-#}
{% macro event_window_of(relation, incremental, date_column='submission_date', rebuild_following=true) %}
    {%- set explicit = explicit_run_window() -%}
    {%- if explicit is not none -%}
        {%- if execute -%}
            {%- do refuse_window_past_retention(explicit) -%}
        {%- endif -%}
        {{ return(with_following_built_days(explicit, date_column, relation, incremental) if rebuild_following else explicit) }}
    {%- endif -%}

    {%- if not incremental -%}
        {{ return(none) }}
    {%- endif -%}
    {%- if not execute -%}
        {{ return({'start': '1970-01-01', 'end': '1970-01-01'}) }}
    {%- endif -%}

    {%- set latest = run_query('select max(' ~ date_column ~ ') from ' ~ relation).columns[0].values()[0] -%}
    {%- set today = run_started_at.astimezone(modules.pytz.utc).date() -%}
    {#- An empty table (a quarantine with nothing in it): the build before it saw all of
        history and found nothing, so only the recent days need a look, as for a table
        whose latest date is today. -#}
    {%- set latest = fxa_parse_date(latest | string, 'latest ' ~ date_column) if latest is not none else today -%}
    {%- set start = latest - modules.datetime.timedelta(days=var('lookback_days') | int) -%}
    {%- set window = {'start': start.isoformat(), 'end': [today, latest] | max | string} -%}
    {%- do refuse_window_past_retention(window) -%}
    {{ return(window) }}
{% endmacro %}


{#-
    The window extended to the dates already built in this model in the
    var('rebuild_following_days') days after it, or the window itself. A run of an older
    date (a late partition re-run, a shuffled backfill) must leave the later dates as a full
    refresh would: their 28-day last-seen state, and so WAU, MAU and new users, depend on
    it, and so does which copy of an event re-delivered days later is kept. Only dates that
    exist are added, so the scheduled run of the newest date rebuilds nothing more; the
    query reads the date column of those following partitions only. `relation` and
    `incremental` name another model than the one being rendered (event_window_of).
-#}
{% macro with_following_built_days(window, date_column, relation=none, incremental=none) %}
    {%- set relation = relation if relation is not none else this -%}
    {%- set incremental = incremental if incremental is not none else is_incremental() -%}
    {#- FXA_REBUILD_FOLLOWING_DAYS overrides the var at run time (scripts/fxa_run.py: a backfill's
        batches but the last pass 0, since each next batch rebuilds those days anyway) -#}
    {%- set following = (run_time_env_var('FXA_REBUILD_FOLLOWING_DAYS') or var('rebuild_following_days')) | int -%}
    {#- a unit test's `this` is a fixture CTE: nothing to look up -#}
    {%- if following <= 0 or not execute or not incremental or model.resource_type == 'unit_test' -%}
        {{ return(window) }}
    {%- endif -%}
    {%- set after = widen_window({'start': window.end, 'end': window.end}, following) -%}
    {%- set latest = run_query(
        'select max(' ~ date_column ~ ') from ' ~ relation ~ ' where ' ~ date_column ~ " > cast('" ~ window.end
        ~ "' as date) and " ~ date_column ~ " <= cast('" ~ after.end ~ "' as date)").columns[0].values()[0] -%}
    {%- if latest is none -%}
        {{ return(window) }}
    {%- endif -%}
    {{ return({'start': window.start, 'end': fxa_parse_date(latest | string, 'latest ' ~ date_column).isoformat()}) }}
{% endmacro %}


{#-
    The window that event_window() gives in the context of the model `node` (a graph node)
    in this run: the same explicit window, the same following built days and the same
    latest date, looked up in that model's own table, which is incremental in this run when
    it exists as a table and neither --full-refresh nor its full_refresh config says
    otherwise (dbt's is_incremental()). Only that model writes its table, and it has not run
    yet when a model it reads is compiled, so the answer is the window it will use. For the
    model being rendered, its own event_window().
-#}
{% macro node_event_window(node) %}
    {%- set date_column = (node.config.meta or {}).get('window_column') or 'submission_date' -%}
    {%- if node.unique_id == model.unique_id -%}
        {{ return(event_window(date_column)) }}
    {%- endif -%}
    {%- if not execute -%}
        {{ return(event_window_of(none, false, date_column)) }}
    {%- endif -%}
    {%- set existing = adapter.get_relation(database=node.database, schema=node.schema, identifier=node.alias) -%}
    {%- set full_refresh = node.config.full_refresh if node.config.full_refresh is not none else flags.FULL_REFRESH -%}
    {%- set incremental = existing is not none and existing.type == 'table'
                          and node.config.materialized == 'incremental' and not full_refresh -%}
    {{ return(event_window_of(existing, incremental, date_column)) }}
{% endmacro %}


{#- The days before a window whose staged event ids a Glean staging run deduplicates against. -#}
{% macro dedup_lookback_window(window) %}
    {%- set start = modules.datetime.date.fromisoformat(window.start) -%}
    {{ return({'start': (start - modules.datetime.timedelta(days=var('dedup_lookback_days') | int)).isoformat(),
               'end': (start - modules.datetime.timedelta(days=1)).isoformat()}) }}
{% endmacro %}


{#-
    The window a run was given explicitly, by vars start_date/end_date or the environment
    variables FXA_START_DATE/FXA_END_DATE (scripts/fxa_run.py), or none. Data tests read it
    too (macros/quality/test_window.sql): a windowed run tests only its window.
-#}
{% macro explicit_run_window() %}
    {%- set start_date = var('start_date', none) or run_time_env_var('FXA_START_DATE') -%}
    {%- set end_date = var('end_date', none) or run_time_env_var('FXA_END_DATE') -%}
    {%- if start_date -%}
        {%- set end_date = end_date or start_date -%}
        {%- set start_date = fxa_parse_date(start_date, 'start_date') -%}
        {%- set end_date = fxa_parse_date(end_date, 'end_date') -%}
        {%- if end_date < start_date -%}
            {{ exceptions.raise_compiler_error("var end_date (" ~ end_date ~ ") is before start_date (" ~ start_date ~ ")") }}
        {%- endif -%}
        {{ return({'start': start_date.isoformat(), 'end': end_date.isoformat()}) }}
    {%- elif end_date -%}
        {{ exceptions.raise_compiler_error("var end_date needs start_date") }}
    {%- endif -%}
    {{ return(none) }}
{% endmacro %}


{#-
    An environment variable read only when SQL is rendered to run (NULL when unset or
    empty, and while parsing): dbt re-parses every file that read an environment variable
    at parse time once its value changes, which the daily dates do every day. Only for
    values no config depends on.
-#}
{% macro run_time_env_var(name) %}
    {{ return((env_var(name, '') if execute else '') or none) }}
{% endmacro %}


{% macro fxa_parse_date(value, label) %}
    {%- set text = value | string | trim -%}
    {%- if not modules.re.match('^\\d{4}-\\d{2}-\\d{2}', text) -%}
        {{ exceptions.raise_compiler_error(label ~ " must be a date YYYY-MM-DD, got '" ~ text ~ "'") }}
    {%- endif -%}
    {{ return(modules.datetime.date.fromisoformat(text[:10])) }}
{% endmacro %}


{#- Every date of the window, oldest first (for BigQuery's static partitions). -#}
{% macro event_window_dates(window) %}
    {%- set start = modules.datetime.date.fromisoformat(window.start) -%}
    {%- set end = modules.datetime.date.fromisoformat(window.end) -%}
    {%- set dates = [] -%}
    {%- for offset in range((end - start).days + 1) -%}
        {%- do dates.append((start + modules.datetime.timedelta(days=offset)).isoformat()) -%}
    {%- endfor -%}
    {{ return(dates) }}
{% endmacro %}


{#- The window extended by `days` on both sides (none stays none). -#}
{% macro widen_window(window, days) %}
    {%- if window is none -%}{{ return(none) }}{%- endif -%}
    {%- set delta = modules.datetime.timedelta(days=days | int) -%}
    {{ return({'start': (modules.datetime.date.fromisoformat(window.start) - delta).isoformat(),
               'end': (modules.datetime.date.fromisoformat(window.end) + delta).isoformat()}) }}
{% endmacro %}


{#- Predicate on a DATE column: inside the window (true for a full build). -#}
{% macro window_filter_date(column, window=none) -%}
    {%- set window = window if window is not none else event_window() -%}
    {%- if window is none -%}
        true
    {%- else -%}
        {{ column }} between cast('{{ window.start }}' as date) and cast('{{ window.end }}' as date)
    {%- endif -%}
{%- endmacro %}


{#-
    Predicate on a raw TIMESTAMP partition column (submission_timestamp): a half-open
    range of constants, so BigQuery prunes to the window's partitions.
-#}
{% macro window_filter_timestamp(column, window=none) -%}
    {%- set window = window if window is not none else event_window() -%}
    {%- if window is none -%}
        {{ full_history_filter(column) }}
    {%- else -%}
        {%- set day_after = (modules.datetime.date.fromisoformat(window.end) + modules.datetime.timedelta(days=1)).isoformat() -%}
        {{ column }} >= cast('{{ window.start }} 00:00:00+00' as timestamp)
        and {{ column }} < cast('{{ day_after }} 00:00:00+00' as timestamp)
    {%- endif -%}
{%- endmacro %}



{#-
    Predicate: `key_column` is a key with at least one row inside the window in `relation`
    (so a run can rebuild whole entities, such as flows, touched by the window); true for
    a full build.
-#}
{% macro window_keys_filter(key_column, relation, window, date_column='submission_date') -%}
    {%- if window is none -%}
        true
    {%- else -%}
        {{ key_column }} in (
            select window_rows.{{ key_column }} from {{ relation }} as window_rows
            where {{ window_filter_date('window_rows.' ~ date_column, window) }}
        )
    {%- endif -%}
{%- endmacro %}
