{#-
    No two values of the column are the same country name once compared as the models
    compare names (normalized_country_name: case, spacing): two spellings that normalise
    alike would match one logged name twice and duplicate its events.
-#}
{% test unique_country_name(model, column_name) %}

select
    {{ normalized_country_name(column_name) }} as normalized_name,
    count(*) as spellings
from {{ model }}
group by 1
having count(*) > 1

{% endtest %}
