{#-
    The flow steps, in funnel order: each is a value of event_catalogue.funnel_step and an
    int_flows column `<step>_at` (the first time the flow reached it). Models need the list
    when they compile, before any seed is loaded, so it is written here once;
    tests/python/test_event_catalogue.py holds it, the catalogue's steps, the int_flows
    columns and the funnel marts' columns to each other.
-#}
{% macro flow_steps() -%}
    {{ return([
        'entry_page_view', 'entry_page_submit',
        'reg_view', 'reg_submit', 'reg_acc_created', 'reg_signup_code_view', 'reg_acc_verified', 'reg_complete',
        'login_view', 'login_submit', 'login_success', 'login_submit_success',
        'login_confirm_code_view', 'login_confirm_code_submit', 'login_totp_form_view', 'login_totp_code_submit',
        'login_complete',
        'third_party_start', 'third_party_complete',
        'password_reset_view', 'password_reset_create_new_view', 'password_reset_complete',
    ]) }}
{%- endmacro %}


{#-
    A funnel mart's definition, by the flow type it counts: its completion step and its
    reached_* columns, each with the step it counts (a step of flow_steps()).
-#}
{% macro funnel_definition(flow_type) -%}
    {%- set funnels = {
        'registration': {
            'completion_step': 'reg_complete',
            'steps': [
                ('reached_entry_page_view', 'entry_page_view'),
                ('reached_reg_view', 'reg_view'),
                ('reached_reg_submit', 'reg_submit'),
                ('reached_account_created', 'reg_acc_created'),
                ('reached_signup_code_view', 'reg_signup_code_view'),
                ('reached_account_verified', 'reg_acc_verified'),
                ('reached_reg_complete', 'reg_complete'),
            ],
        },
        'login': {
            'completion_step': 'login_complete',
            'steps': [
                ('reached_entry_page_view', 'entry_page_view'),
                ('reached_login_view', 'login_view'),
                ('reached_login_submit', 'login_submit'),
                ('reached_login_success', 'login_success'),
                ('reached_login_submit_success', 'login_submit_success'),
                ('reached_confirm_code_view', 'login_confirm_code_view'),
                ('reached_confirm_code_submit', 'login_confirm_code_submit'),
                ('reached_totp_form_view', 'login_totp_form_view'),
                ('reached_totp_code_submit', 'login_totp_code_submit'),
                ('reached_login_complete', 'login_complete'),
            ],
        },
        'password_reset': {
            'completion_step': 'password_reset_complete',
            'steps': [
                ('reached_password_reset_view', 'password_reset_view'),
                ('reached_create_new_password_view', 'password_reset_create_new_view'),
                ('reached_password_reset_complete', 'password_reset_complete'),
            ],
        },
    } -%}
    {%- if flow_type not in funnels -%}
        {{ exceptions.raise_compiler_error('No funnel is defined for flow type ' ~ flow_type) }}
    {%- endif -%}
    {{ return(funnels[flow_type]) }}
{%- endmacro %}
