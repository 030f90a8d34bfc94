{#-
    Natural keys of the legacy logs, which carry no event id: computed once per raw row by
    the table's base model, they name a row in its staging model and in
    int_quarantined_event_rows. They match `meta.dedup_key` of the sources, which
    raw_rows_accounted_for counts duplicates by.
-#}
{% macro amplitude_event_key() -%}
    {{ surrogate_key(['fxa_log', 'event_type', 'user_id', 'device_id', 'flow_id', 'event_time', 'event_properties']) }}
{%- endmacro %}

{% macro flow_log_event_key() -%}
    {{ surrogate_key(['timestamp', 'event', 'flow_id']) }}
{%- endmacro %}
