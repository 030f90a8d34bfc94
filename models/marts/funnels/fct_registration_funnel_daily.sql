-- Registration flows per flow start date and relier, and how many reached each step
-- within var('funnel_window_hours') of the flow's start (default 24 hours, across
-- midnight). Steps are counted independently: a flow that completed on the backend
-- counts as complete even when its frontend view was lost.
-- Its steps and completion: funnel_definition('registration') (macros/catalogue/flow_steps.sql).

{{ flow_funnel_daily('registration') }}
