"""What a question asks for: a number, which end of a range; and when an answer moves past what was said."""

from __future__ import annotations

import pytest

from tutor.answer.focus import (
    answers_quantity,
    question_parts,
    setting,
    states_list,
    states_quantity,
    wants_list,
    wants_name,
    wants_quantity,
)
from tutor.answer.pipeline import moves_on


@pytest.mark.parametrize(
    "question",
    [
        "How big can a Lambda container image be?",
        "What's the biggest message SES will send?",
        "How long does a Glue Python shell job take to start?",
        "What is the maximum session duration of an IAM role?",
        "What is the exact hourly price of one interface endpoint?",
    ],
)
def test_a_question_for_a_size_limit_or_price_wants_a_number(question: str) -> None:
    assert wants_quantity(question)


@pytest.mark.parametrize("question", ["Which layer does an NLB work at?", "What is AppSync?", "Why use a gateway endpoint?"])
def test_other_questions_do_not(question: str) -> None:
    assert not wants_quantity(question)


def test_a_name_with_a_digit_is_no_number() -> None:
    assert not states_quantity("Gateway endpoints exist only for Amazon S3 and EC2 in eu-west-1")
    assert states_quantity("Messages are kept for 4 days") and states_quantity("up to fourteen days")


def test_the_longest_is_answered_by_the_upper_end_of_a_range() -> None:
    question = "What's the longest I can set it to?"
    assert answers_quantity(question, "Retention can be raised to 365 days.")
    assert answers_quantity(question, "The timeout defaults to 30 seconds and can be set from 0 seconds to 12 hours.")
    assert not answers_quantity(question, "Records are kept for 24 hours by default.")
    assert not answers_quantity("What's the minimum?", "Retention can be raised to 365 days.")


def test_only_what_else_or_another_in_a_follow_up_moves_past_what_was_said() -> None:
    assert moves_on("What else should I know about Redshift Spectrum?", follow_up=False)
    assert moves_on("Which other scalers can I choose from there?", follow_up=True)
    # A standalone stem that says "another" asks nothing of the last turn.
    assert not moves_on("A company copies backups to another Region. Which S3 feature does that?", follow_up=False)
    assert not moves_on("What's the longest I can set it to?", follow_up=True)


def test_a_price_is_answered_by_an_amount_of_money() -> None:
    question = "What is the hourly price of one interface endpoint?"
    assert not answers_quantity(question, "A NAT gateway is charged per hour and scales from 5 Gbps.")
    assert answers_quantity(question, "Interface endpoints cost $0.01 per hour per Availability Zone.")
    assert answers_quantity("What is the minimum storage duration charge?", "Deep Archive has a 180-day minimum storage duration.")


def test_the_default_is_answered_by_what_is_said_to_be_the_default() -> None:
    question = "How long does Kinesis keep records by default?"
    assert answers_quantity(question, "Records are kept for 24 hours by default.")
    assert not answers_quantity(question, "Retention can be extended to 7 days, or 365 days with long-term retention.")
    assert answers_quantity("What's the default maximum message size?", "the maximum message size is 256 KB")  # a maximum asked


def test_any_number_will_do_when_not_asked_which_end() -> None:
    question = "How long can an integration run before it times out?"
    assert answers_quantity(question, "integration timeout: 29 seconds", end=False)
    assert not answers_quantity(question, "integrations can be proxied", end=False)


@pytest.mark.parametrize(
    ("question", "text", "answers"),
    [
        # "How many <things>" is answered by a count, not by a duration or a size of something else.
        ("How many consumers can read a stream at once?", "Records are kept for a 24-hour lifetime.", False),
        ("How many consumers can read a stream at once?", "every consumer is given 2 MiB per second", False),
        ("How many consumers can read a stream at once?", "up to 5 consumers per stream, 2 MiB per second each", True),
        ("How many times will it retry?", "retries for 24 hours and 185 times", True),
        ("How many days of storage are billed?", "a 180-day minimum storage duration", True),
        ("How many consumers can read a stream at once?", "each shard holds up to 1,000 records", False),  # other things
        # A number after a name counts nothing; after a verb that starts a bullet, it counts.
        ("How many read replicas can a cluster have?", "Supports 15 read replicas", True),
        ("How many read replicas can a cluster have?", "Route 53 health checks each read replica", False),
        ("How many read replicas can a cluster have?", "Aurora Postgres 15 adds logical read replicas", False),
        ("How many copies does it keep?", "Storage: Has 3 copies in each zone", True),
        ("How many vCPUs and how much RAM does one DPU give?", "a DPU is 4 vCPU and 16 GB of memory", True),
        ("And how many of them can I have?", "at most 5 per table", True),
        # A size asked for is answered by an amount of bytes (or tokens), or a multiple of another size.
        ("What's the maximum memory of a task?", "tasks get a two-minute warning", False),
        ("What's the maximum memory of a task?", "up to 120 GB of memory per task", True),
        ("What's the minimum disk a domain needs?", "source data x (1 + replicas) x 1.45", True),
        # A time asked for is answered by a duration (or a multiple of another one).
        ("What's the maximum execution time of a function?", "deployed to 13 regional edge locations", False),
        ("What's the maximum execution time of a function?", "timeout - 15min", True),
        ("How often are health checks run?", "every 30 seconds", True),
        ("How long does a job take to start?", "starts in 7-30 seconds", True),
        ("How long does a job take to start?", "starts in well under a minute, on 2 workers", True),
        ("How long should the visibility timeout be?", "6 times the function timeout", True),
        ("What's the default visibility timeout?", "set it to 6 times the function timeout", False),  # advice, no default
        ("How long can it run?", "as many as 13 workers", False),
        # A threshold says when something applies; "no more than" is the maximum itself.
        ("What's the maximum execution time of a function?", "jobs longer than 15 minutes go to a batch queue", False),
        ("What's the maximum execution time of a function?", "a function runs for no more than 15 minutes", True),
    ],
)
def test_the_number_must_measure_what_is_asked(question: str, text: str, answers: bool) -> None:
    assert answers_quantity(question, text, end=False) is answers


def test_a_question_word_after_and_starts_a_second_question() -> None:
    assert question_parts("What is AppSync, and which data sources does it plug into?") == [
        "What is AppSync",
        "which data sources does it plug into",
    ]
    assert question_parts("How long may it run? How big a body will it take?") == ["How long may it run", "How big a body will it take"]


def test_and_between_names_asks_one_question() -> None:
    assert question_parts("What do Kinesis and SQS have in common?") == ["What do Kinesis and SQS have in common?"]


def test_two_things_compared_are_asked_about_each() -> None:
    assert question_parts("What's the difference between annotations and metadata on a trace?") == [
        "What's the difference annotations on a trace?",
        "What's the difference metadata on a trace?",
    ]
    assert question_parts("Which is cheaper, Avro versus Parquet?") == ["Which is cheaper, Avro?", "Which is cheaper, Parquet?"]


@pytest.mark.parametrize(
    "question",
    [
        "Which data stores can Glue crawlers crawl?",
        "What kinds of KMS keys are there?",
        "Which categories of metrics does Lambda report?",
        "Which two services can I reach through a gateway endpoint?",
        "What limits apply to a standard Kinesis consumer?",
    ],
)
def test_a_question_for_several_things_wants_a_list(question: str) -> None:
    assert wants_list(question)


@pytest.mark.parametrize(
    "question",
    [
        "Which load balancer does that?",
        "What happens when traffic goes beyond what I provisioned?",
        "What does the CDK produce?",
        "What is AppSync?",
    ],
)
def test_a_question_for_one_thing_does_not(question: str) -> None:
    assert not wants_list(question)


def test_a_list_is_items_joined_or_three_short_ones() -> None:
    assert states_list("Environment Tiers: Web Server Tier - serves HTTP; Worker Tier - runs jobs.", item_words=5)
    assert states_list("accepts PNG, JPEG, and PDF files.", item_words=5)
    assert not states_list("Apart from the tiers, JSON and YAML files customise an environment.", item_words=5)


@pytest.mark.parametrize(
    ("question", "name"),
    [
        ("A company must keep objects nobody can delete. Which S3 feature should it turn on?", True),
        ("Which Systems Manager capability enforces this?", True),
        ("Which states can a CloudWatch alarm be in?", False),
        ("What is AppSync?", False),
    ],
)
def test_a_question_for_which_service_or_feature_wants_a_name(question: str, name: bool) -> None:
    assert wants_name(question) is name


def test_a_scenario_s_setting_is_its_statements_before_the_question() -> None:
    stem = "A shop stores receipts, e.g. PDFs, in S3. It wants them searchable. Which service fits?"
    assert setting(stem) == "A shop stores receipts, e.g. PDFs, in S3. It wants them searchable."
    assert setting("Which service makes receipts searchable?") == ""
    assert setting("What is Kendra? And what does it index?") == ""  # two questions set no scene
