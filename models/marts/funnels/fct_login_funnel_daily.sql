-- Login flows per flow start date and relier, and how many reached each step within
-- var('funnel_window_hours') of the flow's start (default 24 hours, across midnight).
-- Steps are counted independently, so lost frontend events do not hide completions.
-- Its steps and completion: funnel_definition('login') (macros/catalogue/flow_steps.sql).

{{ flow_funnel_daily('login') }}
