{#-
    Rules for bad input. A rule that decides whether a row is kept (event_quarantine_reason,
    account_uid_quarantine_reason) is evaluated once per raw row, by the base model of its
    source, into the verdict column `quarantine_reason` (NULL: keep): the staging model keeps
    the rows without one and the quarantine holds the others, so the two never disagree.
    The catalogue of cases and what happens to each is docs/bad_input.md.
-#}

{#- A hex id of `length` characters, lower-cased; NULL when empty or malformed. -#}
{% macro valid_hex_or_null(expression, length) -%}
    case
        when {{ regex_full_match('lower(' ~ expression ~ ')', '[0-9a-f]{' ~ length ~ '}') }}
            then lower({{ expression }})
    end
{%- endmacro %}


{#- True when the raw value is present but not a hex id of `length` characters. -#}
{% macro is_malformed_hex(expression, length) -%}
    (nullif({{ expression }}, '') is not null
     and not {{ regex_full_match('lower(' ~ expression ~ ')', '[0-9a-f]{' ~ length ~ '}') }})
{%- endmacro %}


{#-
    The bounds of a plausible time, as SQL TIMESTAMP literals: the first instant of
    var('history_start_date') (no event is staged before it), and the run's start plus a day
    of clock skew (nothing is submitted later). Every rule on dates uses these two.
-#}
{% macro history_start_timestamp() -%}
    cast('{{ var("history_start_date") }} 00:00:00+00' as timestamp)
{%- endmacro %}

{% macro latest_plausible_time() -%}
    {{ return(run_started_at.astimezone(modules.pytz.utc) + modules.datetime.timedelta(days=1)) }}
{%- endmacro %}

{% macro latest_plausible_timestamp() -%}
    cast('{{ latest_plausible_time().strftime("%Y-%m-%d %H:%M:%S") }}+00' as timestamp)
{%- endmacro %}


{#-
    Why an event row cannot be kept, or NULL when it can: no submission time, one later
    than the run (plus a day of clock skew), one before var('history_start_date') (no
    Mozilla accounts telemetry is older: a 1970 date is a broken clock, and it would
    stretch every date range built from the data), or no event name (the row counts for
    nothing and would fail the staged tables' tests). `event_column` is optional.
-#}
{% macro event_quarantine_reason(timestamp_column, event_column=none) -%}
    case
        when {{ timestamp_column }} is null then 'missing submission time'
        when {{ timestamp_column }} > {{ latest_plausible_timestamp() }} then 'submission time in the future'
        when {{ timestamp_column }} < {{ history_start_timestamp() }} then 'submission time before history start'
        {%- if event_column is not none %}
        when nullif({{ trim_whitespace(event_column) }}, '') is null then 'missing event name'
        {%- endif %}
    end
{%- endmacro %}


{#-
    A relying-party service name as the events carry it (lower-cased, trimmed, '' -> NULL),
    or NULL when the value cannot be one. The field is free text on the wire: an email
    address or an account uid sent there must never become a relier id. Accepted: a
    16-hex OAuth client id (newer reliers send their client id as the service), or a
    name of service_name_pattern() (every name of the relier_service_names seed has this
    shape, a data test on the seed checks it), at most 40 characters and with no run of 8
    or more hex digits (a uid, a hashed id, a UUID such as a Glean client id).
-#}
{% macro service_name_pattern() -%}
    {{ return('[a-z][a-z0-9]*([-_][a-z0-9]+)*') }}
{%- endmacro %}

{% macro valid_service_or_null(expression) -%}
    {%- set normalised = 'lower(nullif(' ~ trim_whitespace(expression) ~ ", ''))" -%}
    case
        when {{ is_service_name(normalised) }} then {{ normalised }}
    end
{%- endmacro %}

{#- True when the raw value is present but cannot be a service name. -#}
{% macro is_invalid_service(expression) -%}
    {%- set normalised = 'lower(nullif(' ~ trim_whitespace(expression) ~ ", ''))" -%}
    ({{ normalised }} is not null and not {{ is_service_name(normalised) }})
{%- endmacro %}

{% macro is_service_name(normalised) -%}
    coalesce(
        {{ regex_full_match(normalised, '[0-9a-f]{16}') }}
        or (
            length({{ normalised }}) <= 40
            and {{ regex_full_match(normalised, service_name_pattern()) }}
            and not {{ regex_full_match(normalised, '.*[0-9a-f]{8,}.*') }}
        ),
        false
    )
{%- endmacro %}


{#-
    A flow attribution value (entrypoint, utm_source, utm_medium, utm_campaign) as the
    attribution marts group by it, or NULL. These fields are free text on the wire (a page
    can put anything in its URL), so a value is bounded before it can become a group:
    whitespace trimmed, lower-cased, '' -> NULL, cut to attribution_value_max_length()
    characters (the limit of the fxa metrics yaml, `utm.*`), and NULL unless every
    character is one FxA accepts (`[\w/.%-]` for utm, `[\w.:-]` for entrypoint, and `+`
    of 'page+referral+-+not+part+of+a+campaign') and it holds no run of 32 or more hex
    digits (a uid or a hash): an email address or an id can never be an attribution value.
-#}
{% macro attribution_value_max_length() -%}
    {{ return(128) }}
{%- endmacro %}

{% macro attribution_value_or_null(expression) -%}
    {%- set normalised = 'substr(lower(nullif(' ~ trim_whitespace(expression) ~ ", '')), 1, "
                         ~ attribution_value_max_length() ~ ')' -%}
    case
        when
            {{ regex_full_match(normalised, '[a-z0-9_/.%:+-]+') }}
            and not {{ regex_full_match(normalised, '.*[0-9a-f]{32,}.*') }}
            then {{ normalised }}
    end
{%- endmacro %}


{#-
    An ISO 3166-1 alpha-2 country code, upper-cased and trimmed of any whitespace, or NULL:
    geo lookups and legacy extracts send '', '??', names, codes that are no country or
    worse, and a mart's country must be a code.
-#}
{% macro valid_country_code_or_null(expression) -%}
    {%- set code = 'upper(' ~ trim_whitespace(expression) ~ ')' -%}
    case
        when {{ code }} in ('{{ iso_country_codes() | join("', '") }}')
            then {{ code }}
    end
{%- endmacro %}

{#-
    The ISO 3166-1 alpha-2 codes (249, as published by ISO through the iso-codes
    database), plus XK, which MaxMind's GeoIP (the pipeline's geo lookup) gives Kosovo.
    A two-letter value that is not one of them (a legacy `UK`, a `ZZ`) is no country.
-#}
{% macro iso_country_codes() -%}
    {%- set codes -%}
        AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO
        BQ BR BS BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ
        DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP
        GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG
        KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML
        MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE
        PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL
        SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM
        US UY UZ VA VC VE VG VI VN VU WF WS XK YE YT ZA ZM ZW
    {%- endset -%}
    {{ return(codes.split()) }}
{%- endmacro %}



{#-
    Why an accounts-replica uid cannot be kept, or NULL when it can: the uid is the join
    key with telemetry (hashed), so a missing or malformed one is quarantined.
    The verdict of base_accounts_db_external__fxa_accounts_v1.
-#}
{% macro account_uid_quarantine_reason(uid_column) -%}
    case
        when nullif({{ trim_whitespace(uid_column) }}, '') is null then 'missing uid'
        when not {{ regex_full_match('lower(' ~ uid_column ~ ')', '[0-9a-f]{32}') }} then 'uid is not 32 hex'
    end
{%- endmacro %}


{#-
    Client clocks are skewed: an event time (the sender's clock) is plausible when it is at
    most var('event_time_max_lag_days') days before its submission and at most one hour
    after it (clocks running ahead). Outside that, the event keeps its submission time as
    its time and is flagged.
-#}
{% macro plausible_event_time(event_time, submission_time) -%}
    case
        when not {{ is_implausible_event_time(event_time, submission_time) }} then {{ event_time }}
        else {{ submission_time }}
    end
{%- endmacro %}

{% macro is_implausible_event_time(event_time, submission_time) -%}
    coalesce(
        {{ event_time }} < {{ timestamp_add_hours(submission_time, -24 * (var('event_time_max_lag_days') | int)) }}
        or {{ event_time }} > {{ timestamp_add_hours(submission_time, 1) }},
        false
    )
{%- endmacro %}


{#- Timestamps before Mozilla accounts existed or after the run are not plausible. -#}
{% macro is_implausible_timestamp(expression) -%}
    ({{ expression }} < cast('2010-01-01 00:00:00' as timestamp)
     or {{ expression }} > {{ latest_plausible_timestamp() }})
{%- endmacro %}


{#-
    The rows of one event table's base model with a verdict, for int_quarantined_event_rows:
    table label, row id, submission time (UTC) and reason. `read` is what the quarantine
    reads of that table (event_read, macros/staging/base_reads.sql): its window and, on
    DuckDB, the rows no window covers; `partition_column` is the raw partition column the
    base passes through, on which the read is filtered.
-#}
{% macro quarantined_event_rows(label, base, row_id, submitted_at, partition_column, read) -%}
    select
        '{{ label }}' as source_table,
        {{ row_id }} as source_row_id,
        {{ submitted_at }} as submitted_at,
        quarantine_reason
    from {{ base }}
    where
        quarantine_reason is not null
        and {{ event_read_filter(partition_column, read) }}
{%- endmacro %}

{#-
    A country name compared case- and space-insensitively (the legacy logs and the
    country_names seed may differ in either): lower case, every run of whitespace (tabs,
    line breaks and no-break spaces included) as one space, trimmed.
-#}
{% macro normalized_country_name(expression) -%}
    lower(trim({{ regex_replace_all(expression, '[\\s\\x{00a0}]+', ' ') }}))
{%- endmacro %}
