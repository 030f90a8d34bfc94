{#-
    The system whose events count for a submission date (a date expression): the legacy
    Amplitude-format logs before var('glean_cutover_date'), Glean on and after it. Every
    series of the project switches on this one rule (README, "Glean cutover").
-#}
{% macro source_system_of_date(date_expression) -%}
    case when {{ date_expression }} < cast('{{ var("glean_cutover_date") }}' as date) then 'legacy' else 'glean' end
{%- endmacro %}
