-- Registration flows per flow start date and relier, and how many reached each step
-- within var('funnel_window_hours') of the flow's start (default 24 hours, across
-- midnight). Steps are counted independently: a flow that completed on the backend
-- counts as complete even when its frontend view was lost.

{{ flow_funnel_daily(
    flow_type='registration',
    steps=[
        ('reached_entry_page_view', 'entry_page_view_at'),
        ('reached_reg_view', 'reg_view_at'),
        ('reached_reg_submit', 'reg_submit_at'),
        ('reached_account_created', 'reg_acc_created_at'),
        ('reached_signup_code_view', 'reg_signup_code_view_at'),
        ('reached_account_verified', 'reg_acc_verified_at'),
        ('reached_reg_complete', 'reg_complete_at'),
    ],
    completed_at='reg_complete_at',
) }}
