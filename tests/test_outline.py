"""The outline reader on slide-style notes: bullets under bullets, lead-ins, wrapped lines, tables."""

from __future__ import annotations

from tutor.ingest.outline import Node, is_bullet, read_outline


def _shape(nodes: list[Node]) -> list[object]:
    """The tree as nested lists: a leaf is its text, a parent is (text, [its children])."""
    return [(n.text, _shape(n.children)) if n.children else n.text for n in nodes]


SLIDE = """Amazon Kinesis Data Streams
  • Shards
    • each shard takes 1 MB per second of writes
      and 2 MB per second of reads
    • records are kept 24 hours by default
  • Retention can be raised to 365 days.
> Producers put records with a partition key.
"""


def test_sub_bullets_hang_from_their_bullet_and_a_wrapped_line_joins_its_bullet() -> None:
    assert _shape(read_outline(SLIDE)) == [
        (
            "Amazon Kinesis Data Streams",
            [
                (
                    "Shards",
                    [
                        "each shard takes 1 MB per second of writes and 2 MB per second of reads",
                        "records are kept 24 hours by default",
                    ],
                ),
                "Retention can be raised to 365 days.",
            ],
        ),
        "Producers put records with a partition key.",
    ]


LEAD_INS = """Deployment policies:
1. All at once - fastest, with downtime.
2. Rolling - one batch at a time.
Beanstalk keeps the previous version for rollback.
Tiers:
  - Web server tier
  - Worker tier
"""


def test_a_lead_in_takes_the_items_at_its_indent_and_not_the_line_after_them() -> None:
    nodes = read_outline(LEAD_INS)
    assert _shape(nodes) == [
        ("Deployment policies:", ["All at once - fastest, with downtime.", "Rolling - one batch at a time."]),
        "Beanstalk keeps the previous version for rollback.",
        ("Tiers:", ["Web server tier", "Worker tier"]),
    ]
    assert [n.bullet for n in nodes[0].children] == [True, True]
    assert nodes[1].bullet is False


def test_a_table_row_is_a_line_naming_its_cells_and_rules_and_headings_are_left_out() -> None:
    text = "# Indexes\n| | GSI | LSI |\n|---|---|---|\n| Quota per table | 20 | 5 |\n---\nBoth are kept in sync.\n"
    assert _shape(read_outline(text)) == ["Quota per table – GSI: 20; LSI: 5", "Both are kept in sync."]


def test_a_lower_case_line_carries_on_an_unfinished_one_and_nodes_know_their_lines() -> None:
    text = "Serverless Application Repository\n\nlets teams share serverless apps\n  • any template can be published\nIt is free.\nand costs nothing\n"
    nodes = read_outline(text)
    assert _shape(nodes) == [
        ("Serverless Application Repository lets teams share serverless apps", ["any template can be published"]),
        "It is free.",
        "and costs nothing",  # the line before it ended: a line of its own
    ]
    assert (nodes[0].line, nodes[0].end) == (0, 2)
    assert (nodes[0].children[0].line, nodes[2].line) == (3, 5)


def test_across_a_blank_line_only_a_title_carries_on() -> None:
    text = "- Protocols: NFS, SMB and HDFS\n\nmigration of files\nDataSync copies files\n\nbetween storage services\n"
    assert _shape(read_outline(text)) == [
        "Protocols: NFS, SMB and HDFS",
        "migration of files",
        "DataSync copies files",
        "between storage services",
    ]


def test_a_lone_lower_case_word_is_a_label_not_a_wrapped_end() -> None:
    text = "- Protocols: NFS, SMB and HDFS\nconcepts\n- Each shard serves 2 MB/s of reads\nshared by all consumers\n"
    assert _shape(read_outline(text)) == [
        "Protocols: NFS, SMB and HDFS",
        "concepts",
        "Each shard serves 2 MB/s of reads shared by all consumers",
    ]


def test_a_bullet_is_a_mark_or_list_number_then_words_at_any_indent() -> None:
    for line in [
        "- S3",
        "  + Glue crawler",
        "    • shards",
        "2.1. Retention",
        "b) Athena",
        "·  Lake Formation",
        "– EMR",
        "  o step limit",
        "    § per Region",
    ]:
        assert is_bullet(line), line
    for line in ["-", "  •  ", "-5 degrees", "S3 - storage", "2024. A year", "e.g. Athena", "on demand", "o"]:
        assert not is_bullet(line), line


def test_a_word_export_s_second_level_marks_are_sub_bullets() -> None:
    # Word and PowerPoint paste their lower levels as "o" and "§": items, not a wrapped line.
    text = "• Steps: units of work\n  o at most 256 run at once\n  o on failure: continue or terminate\n"
    assert _shape(read_outline(text)) == [("Steps: units of work", ["at most 256 run at once", "on failure: continue or terminate"])]


def test_a_line_after_a_comma_carries_on_whatever_its_case() -> None:
    text = "• Retry field\n  o IntervalSeconds (default 1), MaxAttempts (default 3),\nBackoffRate (default 2.0)\n• Catch field\n"
    assert _shape(read_outline(text)) == [
        ("Retry field", ["IntervalSeconds (default 1), MaxAttempts (default 3), BackoffRate (default 2.0)"]),
        "Catch field",
    ]
