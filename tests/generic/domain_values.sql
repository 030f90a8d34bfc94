{#-
    Domain tests of values that reach a mart (docs/bad_input.md, "in its domain"): each
    returns the offending rows.
-#}

{#- A relier id: a 16-hex client id, a service name, 'unattributed' or 'unknown_service'. -#}
{% test valid_relier_id(model, column_name) %}

select {{ column_name }} as invalid_relier_id
from {{ model }}
where {{ column_name }} is not null
    and not {{ is_service_name(column_name) }}
    and {{ column_name }} not in ('unattributed', 'unknown_service')

{% endtest %}


{#- A service name as valid_service_or_null accepts it (for the lookup seeds). -#}
{% test valid_service_name(model, column_name) %}

select {{ column_name }} as invalid_service_name
from {{ model }}
where {{ column_name }} is not null
    and not {{ is_service_name(column_name) }}

{% endtest %}


{#-
    A date no earlier than var('history_start_date') and no later than the day after the
    run. A date from event times (is_event_time: a flow's start) may be up to
    var('event_time_max_lag_days') earlier: an event time may lag its submission that much.
-#}
{% test plausible_date(model, column_name, is_event_time=false) %}
{%- set latest_allowed = latest_plausible_time().date().isoformat() %}
{%- set lag_days = (var('event_time_max_lag_days') | int) if is_event_time else 0 %}
{%- set earliest_allowed = (modules.datetime.date.fromisoformat(var('history_start_date')) - modules.datetime.timedelta(days=lag_days)).isoformat() %}

select {{ column_name }} as implausible_date
from {{ model }}
where {{ column_name }} < cast('{{ earliest_allowed }}' as date)
    or {{ column_name }} > cast('{{ latest_allowed }}' as date)

{% endtest %}
