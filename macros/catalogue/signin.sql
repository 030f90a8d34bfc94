{#-
    How a completed sign-in is classified from its flow's events. Which event shows which
    method or second factor is the seed event_catalogue (signin_method, second_factor);
    these macros hold the one rule for a flow whose events show more than one: the first
    of the precedence list that any of its events shows.

    Methods: a Google or Apple completion decides (the account signed in through the
    provider); a passkey ceremony beats the password a Sync sign-in may still ask for
    afterwards (passkey.auth_success fires after that step); a password the auth server
    accepted (login.success) beats the cached sign-in form that led to it (a cached
    session that had expired asks for the password); otherwise the cached form; a
    sign-in none of whose events shows a method is 'other'.
    Second factors: a backup code or the recovery phone replaces the authenticator app's
    code (the two-step page is shown first, so they win over it), else TOTP, else 'none'.
-#}
{% macro signin_method_precedence() -%}
    {{ return(['google', 'apple', 'passkey', 'password', 'cached_login']) }}
{%- endmacro %}


{% macro second_factor_precedence() -%}
    {{ return(['backup_code', 'recovery_phone', 'totp']) }}
{%- endmacro %}


{#- Aggregate: the first of `values` that `column` takes in the group, else `default`. -#}
{% macro first_present_value(column, values, default) -%}
    case
        {%- for value in values %}
        when count(case when {{ column }} = '{{ value }}' then 1 end) > 0 then '{{ value }}'
        {%- endfor %}
        else '{{ default }}'
    end
{%- endmacro %}


{#- Aggregate over a sign-in's flow events: its method (event_catalogue.signin_method). -#}
{% macro signin_method_of(column) -%}
    {{ first_present_value(column, signin_method_precedence(), 'other') }}
{%- endmacro %}


{#- Aggregate over a sign-in's flow events: its second factor (event_catalogue.second_factor). -#}
{% macro second_factor_of(column) -%}
    {{ first_present_value(column, second_factor_precedence(), 'none') }}
{%- endmacro %}


{#-
    Whether a flow event completes a sign-in, from its catalogue row: a login completed
    (funnel step login_complete) or a Google or Apple completion that is no registration
    (step third_party_complete without a concept: third_party_auth.*_login_complete; the
    *_reg_complete events are registrations).
-#}
{% macro is_signin_completion(funnel_step, concept) -%}
    coalesce(
        {{ funnel_step }} = 'login_complete'
        or ({{ funnel_step }} = 'third_party_complete' and nullif({{ concept }}, '') is null),
        false
    )
{%- endmacro %}
