"""The offline engine on slide-style notes: re-asks, names as the notes write them, bullets with their heading.

Notes are written here, in the shape exported course slides take (titles on their own
line, nested bullets, "Term – definition" lines); real embedder, real Chroma.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from tutor.answer.sentences import content_terms
from tutor.answer.units import answer_units
from tutor.config import AnswerConfig
from tutor.workspace import Workspace

SLIDES = """Section 10: Analytics

Amazon Redshift Spectrum

  • Redshift Spectrum runs SQL queries on data in S3 without loading it into Redshift.
  • Needs a running Redshift cluster; you pay per TB of S3 data scanned.
  • Spectrum external tables are defined in the Glue Data Catalog.

Feature Scaling

  • Robust Scaler
    • removes the median, then divides each value by the interquartile range
    • is not thrown off by outliers
  • Min-Max Scaler – rescales every feature into the range 0 to 1.

Bedrock Guardrails

  • Policies you can combine
    • Content filters
    • Denied topics
    • Word filters
  • Denied topics stop a model talking about subjects you list.
  > Guardrails apply to both the prompt and the model's reply.
"""


@pytest.fixture
def ws(workspace: Workspace, ingest_note: Callable[..., Path]) -> Workspace:
    ingest_note("analytics-slides.txt", SLIDES)
    return workspace


def test_asking_again_in_a_session_gets_the_same_answer(ws: Workspace) -> None:
    question = "What does Redshift Spectrum let you query without loading it?"
    first = ws.ask(question, session="s")
    again = ws.ask(question, session="s")
    assert not first.abstained and "S3" in first.answer
    assert again.answer == first.answer


def test_what_else_moves_past_what_was_said(ws: Workspace) -> None:
    first = ws.ask("What does Redshift Spectrum let you query without loading it?", session="s")
    more = ws.ask("What else should I know about Redshift Spectrum?", session="s")
    assert not more.abstained
    assert more.answer.split(" [")[0] not in first.answer  # it leads with something new


@pytest.mark.parametrize(
    "question",
    [
        "How is Redshift Spectrum billed?",
        "How is Amazon Redshift Spectrum billed?",
        "how is redshift spectrum billed?",
        "What do Robust Scalers remove from the data?",
        "What range does the MinMax Scaler rescale features into?",
    ],
)
def test_names_match_the_way_the_notes_write_them(ws: Workspace, question: str) -> None:
    answer = ws.ask(question)
    assert not answer.abstained, answer.answer


def test_a_refusal_never_offers_the_missing_name_as_a_topic(ws: Workspace) -> None:
    answer = ws.ask("How many players can an Amazon GameLift GameLift fleet host?")
    assert answer.abstained
    assert answer.answer.count("GameLift") == 1  # named once, as what is missing
    topics = answer.answer.split("Nearest topics in your notes:")[-1]
    assert "GameLift" not in topics


def test_a_bullet_is_said_with_the_bullet_it_belongs_to(ws: Workspace) -> None:
    answer = ws.ask("Which scaler removes the median, then divides each value by the interquartile range?")
    assert not answer.abstained
    assert answer.answer.startswith("Robust Scaler: removes the median")


def test_a_list_of_short_items_is_said_with_its_label(ws: Workspace) -> None:
    answer = ws.ask("Which policies can you combine in Bedrock Guardrails?")
    assert not answer.abstained, answer.answer
    assert "Policies you can combine: Content filters; Denied topics; Word filters" in answer.answer


def test_a_quoted_line_is_said_without_its_quote_marker(ws: Workspace) -> None:
    answer = ws.ask("Do Bedrock Guardrails apply to the prompt or to the model's reply?")
    assert "both the prompt and the model's reply" in answer.answer
    assert ">" not in answer.answer


APPSYNC = """AWS AppSync

  • AppSync is a managed GraphQL service for building APIs.
  • AppSync APIs push real-time updates to clients over WebSockets.
  • AppSync caches GraphQL query results to answer faster.
  • AppSync keeps mobile GraphQL clients in sync while they are offline.
  • AppSync pricing is per million GraphQL operations.
  • Backing stores: DynamoDB tables, Lambda functions, OpenSearch domains.
"""


def test_a_two_part_question_gets_the_unit_answering_each_part(workspace: Workspace, tmp_path: Path) -> None:
    (tmp_path / "appsync.txt").write_text(APPSYNC, encoding="utf-8")
    workspace.ingest([tmp_path / "appsync.txt"])
    got = workspace.ask("What is AppSync, and which data sources does it plug into?")
    assert not got.abstained
    assert "GraphQL" in got.answer and "DynamoDB" in got.answer


STEPS = """  • A replication task has three phases:
    • A full load of the rows already in the source
    • Applying the changes cached meanwhile
    • Ongoing replication
  • At the start of ongoing replication a backlog of transactions causes some lag. It clears in time.
Environment Tiers:
1. Web Server Tier - serves HTTP requests.
2. Worker Tier - runs backend jobs.
Apart from the tiers, JSON and YAML files customise an environment.
"""


def test_a_lead_in_keeps_its_list_and_not_the_lines_after_it() -> None:
    texts = [u.text for u in answer_units(STEPS, "DMS", AnswerConfig())]
    assert (
        "A replication task has three phases: A full load of the rows already in the source; Applying the changes cached meanwhile; Ongoing replication."
        in texts
    )
    assert "Environment Tiers: Web Server Tier - serves HTTP requests; Worker Tier - runs backend jobs." in texts
    assert not any("phases" in t and "backlog" in t for t in texts)
    assert not any("Tiers:" in t and "YAML" in t for t in texts)


def test_a_lead_in_over_a_long_list_is_said_with_the_terms_it_lists() -> None:
    long = "Deployment Options:\n" + "".join(
        f"{i}. {name}: {'It rolls the new version out to every instance and can take a while. ' * 3}\n"
        for i, name in enumerate(["All at once", "Rolling", "Immutable"], start=1)
    )
    texts = [u.text for u in answer_units(long, "Beanstalk", AnswerConfig())]
    assert "Deployment Options: All at once; Rolling; Immutable." in texts
    assert "Deployment Options:" not in texts


TABLES = """| | Global Secondary Index | Local Secondary Index |
| Created | Anytime | With the table only |
| Quota per table | 20 | 5 |
Indexes are kept up to date by DynamoDB.
| Annotations | Key-value data added to a trace, indexed for filtering |
| Metadata | Data added to a trace, not indexed |
"""


def test_a_table_row_is_said_with_its_column_names() -> None:
    texts = [u.text for u in answer_units(TABLES, "Secondary Indexes", AnswerConfig())]
    assert "Quota per table – Global Secondary Index: 20; Local Secondary Index: 5" in texts
    assert "Metadata – Data added to a trace, not indexed" in texts
    assert not any("|" in t for t in texts)


ALARMS = """CloudWatch Alarms

  • EventBridge integration - each time an alarm moves to another state, CloudWatch emits an event on EventBridge.
  • Alarm States - ALARM, OK, INSUFFICIENT_DATA (not enough data points)
  • Each alarm follows one metric across a period that you set.

Elastic Beanstalk

  • Apart from the environment tiers, JSON and YAML files let you customise an Elastic Beanstalk environment.
  • Environment Tiers:
    • Web Server Tier - serves HTTP requests
    • Worker Tier - runs backend jobs from a queue
"""


@pytest.mark.parametrize(
    ("question", "lead"),
    [
        # The bullet that answers names neither "CloudWatch" nor "alarm": its slide title does.
        ("Which states can a CloudWatch alarm be in?", "Alarm States - ALARM, OK, INSUFFICIENT_DATA"),
        # A list question is answered by the list, not by the sentence that repeats its words.
        ("Which environment tiers does Elastic Beanstalk offer?", "Environment Tiers: Web Server Tier"),
    ],
)
def test_a_list_question_leads_with_the_bullet_that_lists(
    workspace: Workspace, ingest_note: Callable[..., Path], question: str, lead: str
) -> None:
    ingest_note("monitoring.txt", ALARMS)
    answer = workspace.ask(question)
    assert answer.answer.startswith(lead), answer.answer


APPFLOW = """AppFlow

  • Flows move data between SaaS applications and AWS on a schedule, on an event or on demand.
  • Encryption at rest - choose an AWS managed key or your own. When a flow runs, AppFlow stages the data in an intermediate S3 bucket. This bucket is removed once 24 hours have passed.
  • Connectors exist for Salesforce, Slack, ServiceNow and Zendesk.
"""


def test_a_bullet_of_sentences_is_also_said_whole(workspace: Workspace, ingest_note: Callable[..., Path]) -> None:
    # "This bucket is removed once 24 hours have passed" says what it is about only after the sentence before it.
    units = [u.text for u in answer_units(APPFLOW, "AppFlow", AnswerConfig())]
    assert any("intermediate S3 bucket. This bucket is removed once 24 hours have passed" in u for u in units)
    ingest_note("appflow.txt", APPFLOW)
    answer = workspace.ask("While an AppFlow flow runs, where is the data staged, and how long does that staging area last?")
    assert "S3 bucket" in answer.answer and "24 hours" in answer.answer, answer.answer


def test_names_written_together_or_with_a_hyphen_match_their_words() -> None:
    assert content_terms("Standard Scaler") <= content_terms("StandardScaler")
    assert content_terms("JVM memory pressure") <= content_terms("JVMMemoryPressure errors")
    assert content_terms("geoproximity") <= content_terms("Geo-proximity routing")
    assert "gp" not in content_terms("gp3-based volumes")  # no camel case, no split of a name's digits


AURORA = """Amazon Aurora

  • Types of Aurora endpoints
    • Reader endpoint - balances the cluster's read-only connections across its Aurora Replicas.
    • Custom endpoint - stands for a group of DB instances you choose yourself. Aurora balances the connections over that group.
    • Instance endpoint - connects to one specific DB instance within the cluster, for diagnosis or tuning.
"""


def test_a_follow_up_is_answered_by_its_own_words_not_by_the_subject_it_inherits(
    workspace: Workspace, ingest_note: Callable[..., Path]
) -> None:
    ingest_note("aurora.txt", AURORA)
    history = [("Which Aurora endpoint spreads read-only connections across the replicas?", "The reader endpoint.")]
    answer = workspace.ask("And if I only want a few instances that I choose myself?", history=history)
    assert answer.answer.startswith("Custom endpoint"), answer.answer


SCHEDULED = """Timestream

  • Scheduled Query - Timestream runs these queries at intervals and stores what they return in another table. Serverless, fully managed.
    • Query string - the query to run
    • Schedule expression - when the scheduled query instances run, as a cron expression
    • Target configuration - how the output of a scheduled query lands in the table that keeps it
    • Notification configuration - a notification on an SNS topic for every run of the scheduled query
"""


def test_a_bullet_over_defined_terms_is_said_with_its_terms() -> None:
    texts = [u.text for u in answer_units(SCHEDULED, "Timestream", AnswerConfig())]
    listed = "Scheduled Query: Query string; Schedule expression; Target configuration; Notification configuration."
    assert any(t.endswith(listed) for t in texts), texts


ACCELERATOR = """Global Accelerator

  • carries your users' internet traffic to your AWS applications over the AWS global network, which stays highly available and uncongested
  • static IP addresses give your applications a fixed way in
"""


def test_an_answer_to_which_service_names_the_slide_it_comes_from(workspace: Workspace, ingest_note: Callable[..., Path]) -> None:
    ingest_note("networking.txt", ACCELERATOR)
    question = "A game's players must allowlist fixed IP addresses, and traffic should ride the AWS global network. Which service fits?"
    answer = workspace.ask(question)
    assert answer.answer.startswith("Global Accelerator: carries your users' internet traffic"), answer.answer


DOCUMENTS = """Document AI

  • Textract: OCR that reads printed and handwritten text, forms (as key-value pairs) and tables
  • Textract async jobs pull key-value pairs out of scanned claim forms of many pages, then notify SNS
  • Comprehend Medical is a separate service: medical entities and PHI in clinical text
  • Amazon A2I (Augmented AI) has people review results whose confidence is low
"""


def test_a_scenario_is_filled_with_the_unit_for_the_requirement_not_yet_answered(
    workspace: Workspace, ingest_note: Callable[..., Path]
) -> None:
    # The lead (Textract) answers the first requirement; the second ("people review the unsure
    # results") is A2I's, though a unit naming a "service" scores higher against the whole stem.
    ingest_note("documents.txt", DOCUMENTS)
    question = (
        "An insurer needs to pull key-value pairs out of scanned claim forms and send low-confidence results to people "
        "for review. Which services should it combine?"
    )
    answer = workspace.ask(question)
    assert "Textract" in answer.answer and "A2I" in answer.answer, answer.answer


REPLICAS = """7
Section 4: Storage
Default replica count (small clusters)
- 1 with fewer than 3 data nodes
- 2 with 3 to 7 data nodes
- 3 with 8 or more data nodes
"""


def test_bullets_of_one_slide_differing_in_their_numbers_are_not_repeats(workspace: Workspace, ingest_note: Callable[..., Path]) -> None:
    # Each bullet carries the slide title, so all look alike; their own words and numbers differ.
    ingest_note("replicas.txt", REPLICAS)
    answer = workspace.ask("What is the default replica count of a small cluster with 5 data nodes?")
    assert "3 to 7" in answer.answer, answer.answer
