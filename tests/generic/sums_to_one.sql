{#- The column sums to 1 (within floating-point rounding) over every group of `group_by`: shares of a whole. -#}
{% test sums_to_one(model, column_name, group_by) %}

select
    {{ group_by | join(', ') }},
    sum({{ column_name }}) as total_share
from {{ model }}
group by {{ group_by | join(', ') }}
having abs(sum({{ column_name }}) - 1) > 0.000001

{% endtest %}
