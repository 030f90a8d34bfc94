{#-
    The reason of an error event, as models compare it with seed auth_error_reasons:
    lower case, trimmed. Glean's `reason` extra is the sender's free text (fxa-settings
    sends the error's message), so it is only ever matched, never kept.
-#}
{% macro normalized_error_reason(expression) -%}
    lower(trim({{ expression }}))
{%- endmacro %}


{#-
    The bounded reason of an error event: the seed's reason for a listed text, 'unknown'
    when the event has no reason, else 'other' (free text never becomes a value).
    `mapped_reason` is the seed's error_reason joined on normalized_error_reason.
-#}
{% macro error_reason_of(raw_reason, mapped_reason) -%}
    case
        when nullif(trim({{ raw_reason }}), '') is null then 'unknown'
        else coalesce({{ mapped_reason }}, 'other')
    end
{%- endmacro %}
