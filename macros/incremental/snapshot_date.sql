{#-
    The date an account-state snapshot describes, as 'YYYY-MM-DD': var('snapshot_date'),
    else the environment variable FXA_SNAPSHOT_DATE, else the day before the run (the last
    complete day). Called when SQL is rendered for execution, never frozen into a parsed
    config, so a partially re-parsed project still snapshots the right day.
-#}
{% macro accounts_snapshot_date() %}
    {%- set value = var('snapshot_date', none) or run_time_env_var('FXA_SNAPSHOT_DATE') -%}
    {%- if value is none -%}
        {%- set value = (run_started_at.astimezone(modules.pytz.utc).date() - modules.datetime.timedelta(days=1)).isoformat() -%}
    {%- endif -%}
    {{ return(fxa_parse_date(value, 'snapshot_date').isoformat()) }}
{% endmacro %}
