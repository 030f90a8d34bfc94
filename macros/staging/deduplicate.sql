{#-
    Keeps one row per key of a CTE: the first by `order_by`. Used by every staging model,
    since Glean delivers at least once and the legacy extracts are not deduplicated.
    The reconciliation test `raw_rows_accounted_for` checks that nothing else is dropped.
-#}
{% macro deduplicate(cte_name, partition_by, order_by) -%}
    select {{ star_except(['_dedup_rank']) }}
    from (
        select
            *,
            row_number() over (
                partition by {{ partition_by | join(', ') }}
                order by {{ order_by | join(', ') }}
            ) as _dedup_rank
        from {{ cte_name }}
    ) as ranked
    where _dedup_rank = 1
{%- endmacro %}
