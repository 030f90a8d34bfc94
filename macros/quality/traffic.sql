{#-
    Which Glean traffic the marts count (one rule, used by staging to set
    `is_counted_traffic`): events of the deployments listed in var('counted_app_channels')
    (default production; `client_info.app_channel` is `production`, `stage` or
    `development` in FxA's Glean configuration, and Mozilla's own events check compares
    production and stage separately: accounts_backend_derived/users_services_daily_v1/
    checks.sql) that are not bot-generated (`is_bot_generated`, set by Mozilla's events
    view for automation ISPs). A missing channel is not a counted one.
    The legacy logs have no such field: their extracts read only the production project's
    logs (bigquery-etl firefox_accounts_derived/fxa_gcp_stdout_events_v1_live/view.sql reads
    moz-fx-fxa-prod), and the fxa_all_events view drops the test data logged before the
    2023-09-07 switch-over (firefox_accounts/fxa_all_events/view.sql), so every legacy row
    counts.
-#}
{% macro counted_app_channels() -%}
    {%- set channels = var('counted_app_channels') -%}
    {%- if channels is none or channels is string or channels is mapping or channels is not iterable
            or channels | length == 0 -%}
        {{ exceptions.raise_compiler_error(
            "var('counted_app_channels') must be a non-empty list of channel names, e.g. [production]; got "
            ~ channels) }}
    {%- endif -%}
    {%- for channel in channels -%}
        {%- if not modules.re.fullmatch('[a-z][a-z0-9_-]*', channel | string) -%}
            {{ exceptions.raise_compiler_error(
                "var('counted_app_channels'): '" ~ channel ~ "' is not a channel name (lower-case letters, digits, - and _)") }}
        {%- endif -%}
        '{{ channel }}'{{ ", " if not loop.last }}
    {%- endfor -%}
{%- endmacro %}

{% macro is_counted_traffic(app_channel, is_bot_generated) -%}
    coalesce({{ app_channel }} in ({{ counted_app_channels() }}), false)
    and not coalesce({{ is_bot_generated }}, false)
{%- endmacro %}

{#- The deployment of a Glean row, as staging keeps it: trimmed, lower-cased, '' as NULL. -#}
{% macro normalized_app_channel(column='client_info.app_channel') -%}
    lower(nullif({{ trim_whitespace(column) }}, ''))
{%- endmacro %}
