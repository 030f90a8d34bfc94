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
