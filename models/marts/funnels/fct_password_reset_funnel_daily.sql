-- Password-reset flows per flow start date and relier, and how many reached each step
-- within var('funnel_window_hours') of the flow's start (default 24 hours, across
-- midnight; Mozilla's pwd_reset_funnels_by_service counts same-day steps only). Steps
-- are counted independently: a reset completed on the backend (account.password_reset)
-- counts even when its frontend pages were lost.
-- Its steps and completion: funnel_definition('password_reset') (macros/catalogue/flow_steps.sql).

{{ flow_funnel_daily('password_reset') }}
