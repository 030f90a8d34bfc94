{#-
    The relier key of an event: its OAuth client id, else its service, else
    'unknown_service' when a service was sent that cannot be one (free text such as an
    email or a uid, nulled in staging by valid_service_or_null: never echoed). NULL when
    neither was sent. Staging has already validated both ids (trimmed and lower-cased
    again here, for any caller).
    Mapping the key to a relier id (`sync` and legacy service names to client ids,
    NULL to 'unattributed') is relier_id_of below, with a join to the
    relier_service_names seed.
-#}
{% macro relier_key(oauth_client_id, service, has_invalid_service) -%}
    coalesce(
        lower(nullif({{ trim_whitespace(oauth_client_id) }}, '')),
        lower(nullif({{ trim_whitespace(service) }}, '')),
        case when {{ has_invalid_service }} then 'unknown_service' end
    )
{%- endmacro %}


{#- The relier id of a relier key, given the joined relier_service_names row. -#}
{% macro relier_id_of(relier_key, service_names) -%}
    case
        when {{ relier_key }} is null then 'unattributed'
        else coalesce({{ service_names }}.relier_id, {{ relier_key }})
    end
{%- endmacro %}


{#-
    Aggregate over a flow's events (int_flow_events columns): the relier key of the flow,
    the one on its earliest backend event that names a valid relier, else on its
    earliest frontend event ('unknown_service' only when no event names a valid one);
    ties by event id. The backend is reliable, and a flow started from one product's page
    and completed on another counts for the one it completed on.
-#}
{% macro flow_relier_key() -%}
    {{ value_at_min('relier_key', [
        "case when relier_key = 'unknown_service' then 1 else 0 end",
        "case when side = 'backend' then 0 else 1 end", 'step_at', 'event_id']) }}
{%- endmacro %}
