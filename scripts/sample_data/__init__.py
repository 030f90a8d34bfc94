"""Generate synthetic, internally consistent Mozilla accounts (FxA) raw data.

One random world (users, accounts, reliers, flows, token usage) is simulated and written
either as the bundled dbt seeds (``--format csv``) or as a BigQuery ``EXPORT DATA``-style
Parquet tree (``--format parquet``). Both formats are fed by the same generator, so for the
same ``--seed/--days/--users/--start-date`` they hold the same rows, and the same arguments
always give the same bytes.

Modules, in the order a run uses them:

- ``cli``: arguments, then the checks, the run and the row counts;
- ``contract``: the declared columns of every table (``models/staging/*/_*__sources.yml``);
- ``sources``: the registry, one declaration per source table (family, row fields,
  partition column and period, CSV order, builder);
- ``catalogue``: the events the generator emits, checked against the event catalogue;
- ``world`` (people, accounts, flows) and ``day`` (one simulated day), with ``knobs``
  (rates) and ``reference`` (reliers, countries, platforms);
- the row builders of each family: ``glean``, ``legacy`` (fxa_all_events and the flow
  logs) and ``accounts_db`` (the replicas' end-of-window state);
- ``pipeline`` (days to partitions) and ``writers`` (CSV seeds, Parquet files).

Only the standard library, PyYAML and (for Parquet) pyarrow are used.

Deliberate oddities (the data is meant to exercise the staging and intermediate layers):
- exact duplicate rows (~2%): redelivered Glean pings (same document_id/event_id) and
  repeated legacy log lines;
- exactly one frontend row whose event_extra is the malformed text '{"reason": "registration"';
- unset Glean strings are '' (user id before the account exists, Sync client id, utm, ...);
- ~3% of Glean events are submitted on the next UTC day;
- ~15% of flows lose all frontend events, ~4% of frontend events are lost one by one;
- flows that start at 23:4x and complete after midnight;
- legacy and Glean overlap for a few days around the cutover;
- accounts created without a logged reg.complete, registrants deleted afterwards, an OAuth
  client id that is in no lookup, Chinese users only on OAuth reliers (China runs its own
  Sync), Monitor legacy rows without oauth_client_id, legacy Sync cert_signed rows with a
  NULL service, a few is_bot_generated flows;
- ~4% of Glean flows and ~1% of token checks replayed by the stage and development
  deployments (client_info.app_channel), with their own flow ids and accounts;
- token checks carry the relier server's geo (never the user's);
- the legacy auth log's country_code beside the country name (content rows have none);
- third-party starts from the email-first page and from deep links, the login email
  confirmation and two-step (TOTP) pages.
"""
