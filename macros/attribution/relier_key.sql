{#-
    The relier key of an event: the first non-empty of its OAuth client id and its
    service, trimmed and lower-cased (Mozilla's funnel rule). NULL when both are empty.
    Mapping the key to a relier id (`sync` and legacy service names to client ids,
    NULL to 'unattributed') is a join to the relier_service_names seed, done in
    int_account_events.
-#}
{% macro relier_key(oauth_client_id, service) -%}
    lower(coalesce(nullif(trim({{ oauth_client_id }}), ''), nullif(trim({{ service }}), '')))
{%- endmacro %}
