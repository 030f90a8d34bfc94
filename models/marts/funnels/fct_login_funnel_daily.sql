-- Login flows per flow start date and relier, and how many reached each step within
-- var('funnel_window_hours') of the flow's start (default 24 hours, across midnight).
-- Steps are counted independently, so lost frontend events do not hide completions.

{{ flow_funnel_daily(
    flow_type='login',
    steps=[
        ('reached_entry_page_view', 'entry_page_view_at'),
        ('reached_login_view', 'login_view_at'),
        ('reached_login_submit', 'login_submit_at'),
        ('reached_login_success', 'login_success_at'),
        ('reached_login_submit_success', 'login_submit_success_at'),
        ('reached_confirm_code_view', 'login_confirm_code_view_at'),
        ('reached_confirm_code_submit', 'login_confirm_code_submit_at'),
        ('reached_totp_form_view', 'login_totp_form_view_at'),
        ('reached_totp_code_submit', 'login_totp_code_submit_at'),
        ('reached_login_complete', 'login_complete_at'),
    ],
    completed_at='login_complete_at',
) }}
