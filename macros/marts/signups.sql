{#-
    The one definition of a signup, read by every mart that counts signups: a completed
    registration of int_account_events (concept registration_completed, seed
    event_catalogue), counted once per signup_key: its account, else its flow (an event
    without an account id), else the event itself (neither). A Google or Apple signup
    logs two completions of one account, so it is one signup. `relation` qualifies the
    columns (an alias of int_account_events), or none.
-#}
{% macro is_signup_event(relation=none) -%}
    {%- set prefix = relation ~ '.' if relation else '' -%}
    {{ prefix }}concept = 'registration_completed'
{%- endmacro %}

{% macro signup_key(relation=none) -%}
    {%- set prefix = relation ~ '.' if relation else '' -%}
    coalesce(
        {{ prefix }}user_id_sha256,
        concat('flow:', {{ prefix }}flow_id),
        concat('event:', {{ prefix }}event_id)
    )
{%- endmacro %}
