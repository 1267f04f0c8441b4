"""When the offline pipeline says "Not in your notes": a name made of two the notes use apart.

Slide-style notes written here (a section per service, nested bullets); real embedder, real
Chroma. A question may join a service to one of its features ("Glue Python shell") that the
notes list under the service's heading without ever writing the two side by side.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from tutor.answer.vocabulary import Vocabulary
from tutor.locations import corpus_dir
from tutor.retrieve.synonyms import ServiceCatalog
from tutor.workspace import Workspace

SLIDES = """Data integration

AWS Glue
  • serverless ETL service with a Data Catalog and crawlers
  • job types - Spark, Python shell, and Streaming ETL
    • a Python shell job starts in well under a minute

Amazon OpenSearch Service
  • managed search and analytics clusters
  • Index State Management
    • moves old indices to cheaper storage on a schedule

Content delivery
  • CloudFront caches content at edge locations, with Origin Shield as an extra layer
  • CloudFront can write standard logs to an S3 bucket

Feature scaling
  • Standard Scaler - centres every feature on 0 with unit variance
"""


@pytest.fixture
def ws(workspace: Workspace, ingest_note: Callable[..., Path]) -> Workspace:
    ingest_note("integration-slides.txt", SLIDES)
    return workspace


@pytest.mark.parametrize(
    "question",
    [
        "How long does a Glue Python shell job take to start?",
        "What does OpenSearch Index State Management do with old indices?",
        "What does a StandardScaler centre every feature on?",
    ],
)
def test_a_feature_listed_under_its_service_is_known(ws: Workspace, question: str) -> None:
    answer = ws.ask(question)
    assert not answer.abstained, answer.answer


def test_a_feature_is_not_known_from_a_common_word_beside_the_service(ws: Workspace) -> None:
    # The notes say "Origin Shield" and "standard logs", never the Shield Standard tier.
    answer = ws.ask("How does AWS Shield Standard protect against DDoS attacks?")
    assert answer.abstained
    assert "Shield Standard" in answer.answer.split("Nearest topics")[0]


COMPUTE = """Compute

Amazon EC2
  • virtual servers; pick an instance type for the workload
  • EC2 Auto Scaling adds and removes instances to follow demand

Amazon ECS
  • container management service with Fargate and EC2 launch types

ECS on Fargate
  • no servers to manage; pay for the vCPU and memory a task asks for
  • task placement is spread across Availability Zones by default
"""


@pytest.fixture
def compute(workspace: Workspace, ingest_note: Callable[..., Path]) -> Workspace:
    ingest_note("compute-slides.txt", COMPUTE)
    return workspace


def test_a_feature_the_notes_never_give_their_subject_is_not_answered(compute: Workspace) -> None:
    # "EC2" and "placement" are both in the notes, never together: "launch types" is no answer.
    question = "What types of EC2 placement groups are there?"
    answer = compute.ask(question)
    assert answer.abstained, answer.answer
    assert answer.answer.startswith("Not in your notes.")
    compute.config.answer.specific_passages = 0  # the check off: the same sources would answer
    assert not compute.ask(question).abstained


def test_a_word_the_question_qualifies_is_not_said_by_another_of_its_kind(workspace: Workspace, ingest_note: Callable[..., Path]) -> None:
    # "Deployment Group" shares the head of "placement groups": it says nothing of those.
    ingest_note("compute-slides.txt", COMPUTE)
    ingest_note("deploy-slides.txt", "Deployment\n\nAWS CodeDeploy\n  • key terms: Application, Deployment Group, and Deployment\n")
    question = "What types of EC2 placement groups are there?"
    answer = workspace.ask(question)
    assert answer.abstained, answer.answer
    # The same unit answers a question about its own kind of group.
    assert not workspace.ask("What are the key terms of AWS CodeDeploy?").abstained


def test_a_rare_word_said_of_its_subject_is_answered(compute: Workspace) -> None:
    answer = compute.ask("How does ECS on Fargate spread task placement?")
    assert not answer.abstained, answer.answer
    assert "Availability Zones" in answer.answer


MONITORING = """Monitoring

Amazon CloudWatch
  • for Lambda: the ConcurrentExecutions metric counts the instances of a function running at the same moment
  • for EC2 memory: memory use stays invisible to CloudWatch until its agent runs on the instance
"""


@pytest.fixture
def monitoring(workspace: Workspace, ingest_note: Callable[..., Path]) -> Workspace:
    ingest_note("monitoring-slides.txt", MONITORING)
    return workspace


def test_which_thing_a_number_describes_is_answered_by_its_name(monitoring: Workspace) -> None:
    answer = monitoring.ask("Which CloudWatch metric shows how many copies of a Lambda function run at once?")
    assert not answer.abstained, answer.answer
    assert "ConcurrentExecutions" in answer.answer


def test_a_number_asked_for_is_still_needed(monitoring: Workspace) -> None:
    # The same notes name the metric but give no limit: "how many" asks for the number itself.
    answer = monitoring.ask("How many copies of a Lambda function can run at once in an account?")
    assert answer.abstained, answer.answer


MESSAGING = """Messaging

Amazon SES
  • send and receive email from verified domains
  • maximum message size: 10 MB for each email, attachments counted

Amazon SNS
  • pub/sub: publishers send to topics, every subscriber gets a copy
  • FIFO topics: deduplication of messages works over a 5-minute interval

Amazon SQS
  • managed message queues between producers and consumers
  • visibility timeout hides a message while one consumer works on it
"""


@pytest.fixture
def messaging(workspace: Workspace, ingest_note: Callable[..., Path]) -> Workspace:
    ingest_note("messaging-slides.txt", MESSAGING)
    return workspace


@pytest.mark.parametrize(
    "question",
    [
        "What's the maximum message size Amazon SNS accepts?",  # the notes give SES's
        "What's the deduplication interval of an SQS FIFO queue?",  # ... and SNS FIFO topics'
    ],
)
def test_a_number_the_notes_give_only_for_another_service_is_not_an_answer(messaging: Workspace, question: str) -> None:
    answer = messaging.ask(question)
    assert answer.abstained, answer.answer


@pytest.mark.parametrize(
    ("question", "number"),
    [
        ("What's the maximum message size of an SES email?", "10 MB"),
        ("What's the deduplication interval of an SNS FIFO topic?", "5-minute"),
    ],
)
def test_a_number_given_under_the_service_asked_about_is_answered(messaging: Workspace, question: str, number: str) -> None:
    answer = messaging.ask(question)
    assert not answer.abstained, answer.answer
    assert number in answer.answer


STREAMS = """Streaming

Amazon DynamoDB
  • DynamoDB Streams record every item change; all data in a stream is kept for a 24-hour lifetime

Amazon Kinesis Data Streams
  • enhanced fan-out: each consumer gets its own 2 MiB per second per shard
  • up to 20 consumers can register for enhanced fan-out on one stream
"""


@pytest.fixture
def streams(workspace: Workspace, ingest_note: Callable[..., Path]) -> Workspace:
    ingest_note("streaming-slides.txt", STREAMS)
    return workspace


def test_a_number_of_another_measure_does_not_answer_how_many(streams: Workspace) -> None:
    # DynamoDB's only number is how long a stream keeps data; the count of consumers is Kinesis's.
    answer = streams.ask("How many consumers can read a DynamoDB stream at the same time?")
    assert answer.abstained, answer.answer


@pytest.mark.parametrize(
    ("question", "number"),
    [
        ("How many consumers can use enhanced fan-out on a Kinesis data stream?", "20"),
        ("How long does a DynamoDB stream keep its data?", "24-hour"),
    ],
)
def test_a_number_of_the_measure_asked_is_answered(streams: Workspace, question: str, number: str) -> None:
    answer = streams.ask(question)
    assert not answer.abstained, answer.answer
    assert number in answer.answer


FUNCTIONS = """Serverless

AWS Lambda
  • timeout - a function runs for at most 15 minutes
  • memory from 128 MB to 10,240 MB

Amazon CloudFront
  • Lambda@Edge runs Node.js and Python functions at the regional edge caches

Amazon Aurora
  • up to 15 Aurora Replicas share the cluster volume with the primary
"""


@pytest.fixture
def functions(workspace: Workspace, ingest_note: Callable[..., Path]) -> Workspace:
    ingest_note("serverless-slides.txt", FUNCTIONS)
    return workspace


def test_a_number_of_a_service_is_not_one_of_its_named_parts(functions: Workspace) -> None:
    # Lambda's timeout is in the notes; Lambda@Edge's is not.
    answer = functions.ask("What's the maximum execution time of a Lambda@Edge function?")
    assert answer.abstained, answer.answer


@pytest.mark.parametrize(
    ("question", "number"),
    [
        ("What's the maximum execution time of a Lambda function?", "15 minutes"),
        ("How many Aurora Replicas can one cluster have?", "15"),
    ],
)
def test_a_number_of_the_service_or_its_part_is_answered(functions: Workspace, question: str, number: str) -> None:
    answer = functions.ask(question)
    assert not answer.abstained, answer.answer
    assert number in answer.answer


SECURITY = """Security

Amazon GuardDuty
  • detects threats from VPC Flow Logs, DNS logs and CloudTrail events
  • findings can be sent to EventBridge for automated response
"""


def test_a_one_word_service_name_is_not_known_from_a_word_of_the_same_stem(workspace: Workspace, ingest_note: Callable[..., Path]) -> None:
    ingest_note("security-slides.txt", SECURITY)
    # "Detective" and "detects" share a stem; the service is never named.
    answer = workspace.ask("How does Amazon Detective investigate GuardDuty findings?")
    assert answer.abstained, answer.answer
    assert "Amazon Detective" in answer.answer
    assert not workspace.ask("Where does GuardDuty detect threats from?").abstained


WAREHOUSE = """Analytics

Amazon Redshift
  • Redshift Data API: query results are stored for 24 hours
  • automated snapshots can be copied to another Region
"""


@pytest.fixture
def warehouse(workspace: Workspace, ingest_note: Callable[..., Path]) -> Workspace:
    ingest_note("warehouse-slides.txt", WAREHOUSE)
    return workspace


def test_a_number_of_the_service_said_of_something_else_is_no_answer(warehouse: Workspace) -> None:
    # Redshift's only number is how long query results are kept, not its snapshots.
    answer = warehouse.ask("How long does Redshift keep automated snapshots by default?")
    assert answer.abstained, answer.answer
    answered = warehouse.ask("How long does the Redshift Data API keep query results?")
    assert not answered.abstained, answered.answer
    assert "24 hours" in answered.answer


DELIVERY = """Content delivery

Amazon CloudFront
  • Origin Access Identity lets only CloudFront read the objects of an S3 bucket origin
  • S3 access control lists grant read access per object
"""


def test_a_long_name_is_known_only_when_written_whole(workspace: Workspace, ingest_note: Callable[..., Path]) -> None:
    ingest_note("delivery-slides.txt", DELIVERY)
    # Every pair of "Origin Access Control" is in the notes, never the three together.
    answer = workspace.ask("How does CloudFront Origin Access Control restrict bucket access?")
    assert answer.abstained, answer.answer
    assert "Origin Access Control" in answer.answer.split("Nearest topics")[0]
    assert not workspace.ask("What does CloudFront Origin Access Identity do?").abstained


WAREHOUSE_AND_FUNCTIONS = """Analytics and compute

Amazon Redshift
  • columnar data warehouse; nodes hold slices of every table
  • Redshift Spectrum queries files in S3 without loading them

AWS Lambda
  • reserved concurrency sets aside instances for one function
  • scaling: Lambda adds instances as requests arrive

Amazon Athena
  • serverless SQL over S3; partition keys prune the files a query reads
"""


@pytest.fixture
def analytics(workspace: Workspace, ingest_note: Callable[..., Path]) -> Workspace:
    ingest_note("analytics-slides.txt", WAREHOUSE_AND_FUNCTIONS)
    return workspace


@pytest.mark.parametrize(
    ("question", "missing"),
    [
        # "concurrency" and "scaling" are Lambda's here, never Redshift's, never side by side.
        ("How does Redshift concurrency scaling add capacity during busy hours?", "Redshift concurrency scaling"),
        ("What are Athena workgroups used for?", "Athena workgroups"),  # a word the notes never use
        ("What is Athena partition projection?", "Athena partition projection"),
        ("What are Redshift managed node groups?", "Redshift managed node groups"),  # "-ed", then the name goes on
        ("What is the Redshift concurrency mode used for?", "Redshift concurrency mode"),  # "mode" heads the name
    ],
)
def test_a_lower_case_feature_the_notes_never_give_their_service_is_not_answered(analytics: Workspace, question: str, missing: str) -> None:
    answer = analytics.ask(question)
    assert answer.abstained, answer.answer
    assert missing in answer.answer.split("Nearest topics")[0]


@pytest.mark.parametrize(
    "question",
    [
        "How does Lambda reserved concurrency help a function?",  # written side by side
        "What does Redshift Spectrum query?",  # a capitalised name, checked elsewhere
        "What does an Athena partition key prune?",  # the verb ends the question, not the feature
        "How do Athena partition keys cut what a query reads?",
        # After "does" the word after the service may be the verb itself: a verb is no feature.
        "How does Lambda react as requests arrive?",
        "What do Redshift nodes store in their slices?",
        "How does Lambda handle requests as they arrive?",
    ],
)
def test_a_feature_written_with_its_service_is_answered(analytics: Workspace, question: str) -> None:
    answer = analytics.ask(question)
    assert not answer.abstained, answer.answer


QUOTAS = """Storage and functions

Amazon S3
  • replication is not transitive: if bucket 1 replicates to bucket 2 and bucket 2 to bucket 3, bucket 1's objects stop at bucket 2
  • a bucket name is unique across every account

AWS Lambda
  • concurrent executions - 1000 per account by default, a soft limit
  • a function stops after 15 minutes at most
"""


@pytest.fixture
def quotas(workspace: Workspace, ingest_note: Callable[..., Path]) -> Workspace:
    ingest_note("quota-slides.txt", QUOTAS)
    return workspace


def test_a_quota_is_not_answered_by_numbers_that_count_nothing_over_its_scope(quotas: Workspace) -> None:
    # "bucket 1", "bucket 2" name buckets; they say nothing of how many one account may have.
    answer = quotas.ask("How many S3 buckets can one AWS account create by default?")
    assert answer.abstained, answer.answer


def test_a_quota_given_with_its_scope_is_answered(quotas: Workspace) -> None:
    answer = quotas.ask("How many Lambda executions can run at the same time in one account?")
    assert not answer.abstained, answer.answer
    assert "1000" in answer.answer


def test_a_scope_asks_nothing_of_a_number_that_is_no_count(quotas: Workspace) -> None:
    # A duration is no quota: "in each Region" need not be said beside it.
    answer = quotas.ask("What's the maximum time a Lambda function can run in each region?")
    assert not answer.abstained, answer.answer
    assert "15 minutes" in answer.answer


GATEWAY = """APIs

Amazon API Gateway
  • usage plans and quotas; throttling per client
  • API keys identify the caller of a usage plan
  • a stage caches responses for 300 seconds unless told otherwise
"""


def test_a_limit_asked_by_default_needs_its_number(workspace: Workspace, ingest_note: Callable[..., Path]) -> None:
    ingest_note("gateway-slides.txt", GATEWAY)
    # The notes name usage plans and throttling, never a default limit.
    answer = workspace.ask("What is an API Gateway usage plan throttle limit by default?")
    assert answer.abstained, answer.answer
    assert not workspace.ask("What do API Gateway usage plans include?").abstained


LIMITS = """Limits in passing

Amazon S3
  • objects larger than 5 GB must be uploaded with multipart upload

Amazon SQS
  • visibility timeout - set it to 6x the timeout of the Lambda function that reads the queue

Amazon EventBridge
  • rule invocations: up to 4500 requests each second in every Region; each match goes on to the rule's targets

Amazon CloudFront
  • with origin failover in CloudFront, Route 53 can keep a simple routing policy
"""


@pytest.fixture
def limits(workspace: Workspace, ingest_note: Callable[..., Path]) -> Workspace:
    ingest_note("limits-slides.txt", LIMITS)
    return workspace


@pytest.mark.parametrize(
    "question",
    [
        "How big can one S3 object be?",  # a threshold for multipart, no maximum
        "What's the maximum visibility timeout of an SQS queue?",  # a multiple is advice, no maximum
        "How many origins can a CloudFront distribution have?",  # the 53 of "Route 53" counts nothing
    ],
)
def test_a_number_that_is_not_the_one_asked_for_is_no_answer(limits: Workspace, question: str) -> None:
    answer = limits.ask(question)
    assert answer.abstained, answer.answer


@pytest.mark.parametrize(
    ("question", "number"),
    [
        ("What's the smallest S3 object that must use multipart upload?", "5 GB"),
        ("How long should the SQS visibility timeout be for a Lambda consumer?", "6x"),
        ("How many requests per second can EventBridge invoke?", "4500"),
    ],
)
def test_the_same_numbers_answer_what_they_give(limits: Workspace, question: str, number: str) -> None:
    answer = limits.ask(question)
    assert not answer.abstained, answer.answer
    assert number in answer.answer


BILLING = """Serverless analytics

Amazon Athena
  • SQL queries straight over files in S3; no cluster to run
  • each query writes its results to an S3 bucket you choose, one file per query

Amazon EMR Serverless
  • you are charged for the vCPU and memory workers use while they run

Amazon Comprehend
  • $0.0001 per unit of text analysed, with a 3-unit minimum per request
"""


def test_how_a_service_is_billed_needs_a_unit_that_says_what_it_charges(workspace: Workspace, ingest_note: Callable[..., Path]) -> None:
    ingest_note("billing-slides.txt", BILLING)
    answer = workspace.ask("How is Athena billed per query?")
    assert answer.abstained, answer.answer
    answered = workspace.ask("How is EMR Serverless billed?")
    assert not answered.abstained, answered.answer
    assert "charged" in answered.answer
    priced = workspace.ask("How is Amazon Comprehend billed?")  # an amount says it too
    assert not priced.abstained, priced.answer


SETTINGS = """Settings and sizes

Amazon API Gateway
  • request payloads up to 10 MB; responses have no size cap
  • requests are routed through one of three endpoint types: edge-optimized, regional and private

AWS AppSync
  • managed GraphQL APIs in front of DynamoDB tables and Lambda functions

Amazon DynamoDB
  • an item can be at most 400 KB
  • Scan reads one page at a time, 1 MB by default

AWS Lambda
  • asynchronous invocations: failed events can go to an on-failure destination after the retries
"""


@pytest.fixture
def settings_notes(workspace: Workspace, ingest_note: Callable[..., Path]) -> Workspace:
    ingest_note("settings-slides.txt", SETTINGS)
    return workspace


@pytest.mark.parametrize(
    "question",
    [
        "What's the maximum size of an AppSync response?",  # API Gateway's limit, under its heading
        "What's the maximum number of attributes in a DynamoDB item?",  # 400 KB counts no attributes
        "How many requests per second can one API Gateway account handle?",  # no number of an account
    ],
)
def test_a_setting_or_count_with_no_number_of_its_own_is_not_answered(settings_notes: Workspace, question: str) -> None:
    answer = settings_notes.ask(question)
    assert answer.abstained, answer.answer


@pytest.mark.parametrize(
    ("question", "number"),
    [
        ("What's the maximum size of a DynamoDB item?", "400 KB"),
        ("What's the default page size of a DynamoDB Scan?", "1 MB"),
        ("How big a request payload does API Gateway accept?", "10 MB"),
    ],
)
def test_a_setting_given_for_its_service_is_answered(settings_notes: Workspace, question: str, number: str) -> None:
    answer = settings_notes.ask(question)
    assert not answer.abstained, answer.answer
    assert number in answer.answer


DECK = """Section 2: Big data

AMAZON EMR
• managed Hadoop and Spark clusters on EC2
  o high availability: run 3 primary nodes so the cluster survives losing one

Section 5: Orchestration

AWS STEP FUNCTIONS
• serverless state machines that call other services
• workflows are written in JSON

WORKFLOW TYPES
Standard – runs for up to a year, exactly-once execution of each step
Express – runs for up to five minutes, at-least-once execution

Section 6: Warehouse

AMAZON REDSHIFT
• concurrency scaling adds short-lived clusters while queries wait in a queue
• RA3 nodes keep data in managed storage

Section 7: Edge

AMAZON CLOUDFRONT
• Origin Shield adds one more caching layer in front of the origin

FEATURE SCALING
• Standard Scaler – centres each feature on 0 with unit variance
"""


@pytest.fixture
def deck(workspace: Workspace, ingest_note: Callable[..., Path]) -> Workspace:
    ingest_note("deck-export.txt", DECK)
    return workspace


def test_an_abbreviation_is_known_by_the_phrase_it_stands_for(deck: Workspace) -> None:
    answer = deck.ask("How many primary nodes does an EMR cluster need for HA?")
    assert not answer.abstained, answer.answer
    assert "3 primary nodes" in answer.answer


def test_a_spelled_out_phrase_is_known_by_its_abbreviation() -> None:
    catalog = ServiceCatalog.load(corpus_dir() / "services.yaml")
    notes = Vocabulary.from_texts(["DMS task types: full load, full load + CDC, or CDC only"])
    assert notes.unknown_names("What does DMS need for Change Data Capture?", catalog) == []
    assert notes.unknown_names("What does DMS need for PII?", catalog) == ["PII"]  # neither way written
    spelled = Vocabulary.from_texts(["keep personally identifiable information out of the logs"])
    assert spelled.unknown_names("How do I keep PII out of the logs?", catalog) == []


def test_a_scenario_need_not_know_the_words_of_its_setting(deck: Workspace) -> None:
    # "Monday" and "SaaS" set the scene; the question is about Redshift, which the notes know.
    question = "A SaaS company's Redshift dashboards slow down every Monday morning when many queries wait. Which feature adds capacity only at those peaks?"
    answer = deck.ask(question)
    assert not answer.abstained, answer.answer
    assert "concurrency scaling" in answer.answer


@pytest.mark.parametrize(
    "question",
    [
        # The setting names the only service: it is the subject, and the notes lack it.
        "A company runs its game servers on Amazon GameLift. How many game sessions can one fleet hold?",
        # The question itself names what the notes lack.
        "A SaaS company wants to scale its game servers. Which Amazon GameLift feature should it use?",
    ],
)
def test_a_scenario_about_a_service_the_notes_lack_is_not_answered(deck: Workspace, question: str) -> None:
    answer = deck.ask(question)
    assert answer.abstained, answer.answer
    assert "GameLift" in answer.answer.split("Nearest topics")[0]


def test_an_abbreviation_with_a_full_stop_ends_no_sentence() -> None:
    # "e.g. KDS" goes on with the question: it is no scenario asking about KDS alone.
    catalog = ServiceCatalog.load(corpus_dir() / "services.yaml")
    notes = Vocabulary.from_texts(["Kinesis Data Streams (KDS) keeps records for 24 hours"])
    assert notes.unknown_names("Can Amazon GameLift read from a stream, e.g. KDS?", catalog) == ["Amazon GameLift"]


def test_a_qualifier_on_the_slide_after_its_service_is_known(deck: Workspace) -> None:
    # "Standard –" heads a line on the slide after the Step Functions one, never beside its name.
    answer = deck.ask("What execution guarantee does a Standard Step Functions workflow give?")
    assert not answer.abstained, answer.answer
    assert "exactly-once" in answer.answer


def test_a_qualifier_is_not_known_from_a_longer_name_or_another_section(deck: Workspace) -> None:
    # "Standard Scaler" follows the Origin Shield slide, and "Standard –" stands under Step Functions.
    answer = deck.ask("How does AWS Shield Standard protect against DDoS attacks?")
    assert answer.abstained, answer.answer
    assert "Shield Standard" in answer.answer.split("Nearest topics")[0]


# A deck names its service on the section's first slide only; the slides after it are its.
STREAMING_DECK = """1
Section 2: Streaming
AMAZON KINESIS DATA STREAMS - OVERVIEW
• shards carry the stream's throughput, producers put records into them
• consumers read the records of a shard in order

2
Section 2: Streaming
CAPACITY MODES
• provisioned: you choose the shard count and pay per shard hour
• on-demand: shards are added and removed to follow traffic

3
Section 2: Streaming
PRODUCER API
• PutRecords writes up to 500 records per request, one batch per call
• the partition key picks the shard a record goes to

4
Section 2: Streaming
RETENTION + RECORD LIMITS
• records stay readable for 24 hours by default, extendable to 365 days
• a single record can carry a data blob of at most 1 MB

5
Section 3: Queues
AMAZON SQS - OVERVIEW
• fully managed message queues between producers and consumers
• a consumer deletes a message once it has handled it
"""


@pytest.fixture
def streaming_deck(workspace: Workspace, ingest_note: Callable[..., Path]) -> Workspace:
    ingest_note("streaming-deck.txt", STREAMING_DECK)
    return workspace


@pytest.mark.parametrize(
    ("question", "number"),
    [
        ("How long does Kinesis Data Streams keep records by default?", "24 hours"),
        ("What's the largest record Kinesis Data Streams accepts?", "1 MB"),
        # "one batch per call" is the word, not AWS Batch
        ("How many records can one PutRecords request to Kinesis Data Streams write?", "500"),
    ],
)
def test_a_slide_that_names_no_service_is_its_sections(streaming_deck: Workspace, question: str, number: str) -> None:
    answer = streaming_deck.ask(question)
    assert not answer.abstained, answer.answer
    assert number in answer.answer


@pytest.mark.parametrize(
    "question",
    [
        "How long does SQS keep messages by default?",  # the retention slide is in the Kinesis section
        "What's the largest message SQS accepts?",
    ],
)
def test_a_slide_of_another_services_section_is_no_answer(streaming_deck: Workspace, question: str) -> None:
    answer = streaming_deck.ask(question)
    assert answer.abstained, answer.answer


ORCHESTRATION_DECK = """6
Section 4: Streaming
AMAZON KINESIS DATA STREAMS
• shards carry a stream's throughput

7
Section 5: Orchestration
AWS STEP FUNCTIONS
• state machines that call other services, one state after another

8
Section 5: Orchestration
ERROR HANDLING
• Retry and Catch fields on each task state

9
Section 5: Orchestration
AMAZON EVENTBRIDGE PIPES
• connect one source to one target with optional filtering and enrichment

10
Section 5: Orchestration
BATCHING AND FILTERING
• reads up to 10 records per batch from its source queue
"""


def test_a_slide_is_the_latest_titled_service_s_of_its_section(workspace: Workspace, ingest_note: Callable[..., Path]) -> None:
    # The batching slide follows the Pipes slide: its number is not Step Functions', who opened the section.
    ingest_note("orchestration-deck.txt", ORCHESTRATION_DECK)
    pipes = workspace.ask("How many records does EventBridge Pipes read per batch?")
    assert not pipes.abstained, pipes.answer
    assert "10 records" in pipes.answer
    assert workspace.ask("How many records can a Step Functions state machine read per call?").abstained


FORECASTING = """# Forecasting notes

## Error metrics
- MAPE = mean absolute percentage error: the average of |actual - forecast| / |actual|
- RMSE punishes large errors more than small ones
- a baseline forecast repeats last season's values

## Training jobs
- our team shares the cluster with data engineering, and their budget line covers half its compute bill each month
- GPU instances suit the deep learning models
- spot capacity lowers the cost of long training runs

## Capacity units
- one TCU (training capacity unit) = 4 vCPU and 16 GiB of memory
- a job asks for whole TCUs, never fractions of one
"""


def test_a_rare_word_may_ask_of_a_subject_the_notes_barely_name(workspace: Workspace, ingest_note: Callable[..., Path]) -> None:
    # "compute" is in one passage, on a bill; MAPE is in one too, and its line is the answer.
    ingest_note("forecasting.md", FORECASTING)
    answer = workspace.ask("how do you compute MAPE?")
    assert not answer.abstained, answer.answer
    assert "percentage error" in answer.answer
    sized = workspace.ask("how much compute is one TCU?")  # the number of the term's own line
    assert not sized.abstained, sized.answer
    assert "4 vCPU" in sized.answer


BROKERS = """Streaming brokers

Amazon MQ
  • managed ActiveMQ and RabbitMQ brokers for apps that speak JMS or AMQP
  • default maximum message size is 100 MB; can be raised with a broker configuration
  • broker storage: up to 200 GB per broker on EFS, and it can be increased later
"""


@pytest.fixture
def brokers(workspace: Workspace, ingest_note: Callable[..., Path]) -> Workspace:
    ingest_note("broker-slides.txt", BROKERS)
    return workspace


def test_a_default_that_can_be_raised_is_not_how_far_a_setting_goes(brokers: Workspace) -> None:
    answer = brokers.ask("What's the largest message size I can configure on Amazon MQ?")
    assert answer.abstained, answer.answer


@pytest.mark.parametrize(
    ("question", "number"),
    [
        ("What's the default maximum message size on Amazon MQ?", "100 MB"),
        ("What's the largest broker storage I can configure on Amazon MQ?", "200 GB"),  # a maximum of its own
    ],
)
def test_a_default_or_a_stated_maximum_is_answered(brokers: Workspace, question: str, number: str) -> None:
    answer = brokers.ask(question)
    assert not answer.abstained, answer.answer
    assert number in answer.answer


RUNNING_DOC = """# Exam prep log (keeps growing)

abbreviations I use: DDB = DynamoDB, KDS = Kinesis Data Streams

## Week 1 - tables
- partition key spreads items over partitions
- sort key orders the items of one partition key

## Week 2 - experiment tracking
- one tracking server keeps up to 5,000 runs per experiment
- runs are compared side by side in the dashboard
"""


def test_a_file_title_gives_its_preamble_no_hold_on_the_rest(workspace: Workspace, ingest_note: Callable[..., Path]) -> None:
    # Every passage sits under the doc's title: that the first one names DynamoDB makes no later
    # untitled section DynamoDB's.
    ingest_note("prep-log.md", RUNNING_DOC)
    answer = workspace.ask("How many runs does DynamoDB keep per experiment?")
    assert answer.abstained, answer.answer
