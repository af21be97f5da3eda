"""The kind the words nearest a figure signal, and the name of the cue that decided it. The sentences
are written for these tests, one or more for each cue of the table in `summarizer.finding.kinds`."""

from __future__ import annotations

import pytest

from summarizer.finding import kinds
from summarizer.finding.kinds import kind_cue, kind_cue_named


def cue(sentence: str, figure: str):
    at = sentence.index(figure)
    return kind_cue_named(sentence, at, at + len(figure))


@pytest.mark.parametrize(
    ("sentence", "figure", "kind", "rule"),
    [
        ("Of the 14 analysts covering the stock, nine rate it a buy.", "14", "other", "forecaster-count"),
        ("Barclays raised its price target on the retailer to $48 from $41.", "$48", "target", "price-target"),
        ("The new target implies 25% upside from Friday's close.", "25%", "target", "upside"),
        ("Sales of $3.1 billion compared with estimates of $3.0 billion.", "$3.0 billion", "estimate", "estimate-of"),
        ("The lender is expected to post a quarterly profit of $2 billion on Thursday.", "$2 billion", "estimate",
         "expected-to-report"),
        ("The average of 12 forecasts compiled by LSEG is 45 cents a share.", "45 cents", "estimate", "forecaster"),
        ("Expectations were for a 2.1% gain in the month.", "2.1%", "estimate", "estimate-word"),
        ("Economists polled by Reuters had forecast growth of 0.3% for the month.", "0.3%", "estimate",
         "forecaster-outlook"),
        ("Shares of the insurer fell 4.2% in afternoon trading.", "4.2%", "market", "share-move"),
        ("The pound slipped 0.8% against the euro after the data.", "0.8%", "market", "share-move"),
        ("The Nasdaq Composite index touched 15,200 before noon.", "15,200", "market", "share-move"),
        ("Its shares have more than doubled since the listing.", "more than doubled", "market", "share-move"),
        ("The group has a market value of about $12 billion.", "about $12 billion", "market", "market-value"),
        ("At $31, the shares trade at nine times next year's earnings.", "nine times", "market", "share-price"),
        ("The bank's shares ended the session up 1.2% at a record.", "1.2%", "market", "share-move"),
        ("The stock is near its 52-week low of $8.10.", "$8.10", "market", "trading-range"),
        ("The 10-year yield of 4.2% is the highest since spring.", "4.2%", "market", "yield"),
        ("The insurer agreed to buy a 60% stake in the clinic operator.", "60%", "other", "deal"),
        ("The offer values the software maker at $3 billion including debt.", "$3 billion", "other", "deal"),
        ("The bank will pay a $45 million penalty over the lapses.", "$45 million", "other", "penalty"),
        ("The utility sold $600 million of 10-year notes on Wednesday.", "$600 million", "other", "financing"),
        ("The stock carries 14 buy ratings and three sell ratings.", "14", "other", "rating"),
        ("The new handset retails for $799 in the United States.", "$799", "other", "list-price"),
        ("The company expects full-year revenue of $4.2 billion to $4.5 billion.", "$4.2 billion to $4.5 billion",
         "guidance", "outlook"),
        ("Analysts said the company expects revenue of $5 billion next year.", "$5 billion", "guidance", "outlook"),
        ("The airline aims for an operating margin of 8% by 2028.", "8%", "guidance", "plan"),
        ("The bank plans to cut 2,500 jobs by the end of next year.", "2,500", "guidance", "plan"),
        ("It has set aside $300 million for the upgrade of its network.", "$300 million", "guidance", "allocation"),
        ("The group earmarked 1.2 billion euros for new trains.", "1.2 billion euros", "guidance", "allocation"),
        ("The board voted to buy back $2 billion of stock over two years.", "$2 billion", "guidance", "plan-verb"),
        ("The chain will open 40 stores in Spain.", "40", "guidance", "future"),
        ("The brewer employs 1,800 people at the site.", "1,800", "other", "headcount"),
        ("The retailer has 12,000 workers in Germany.", "12,000", "other", "headcount"),
        ("It runs 230 branches across the region.", "230", "other", "facilities"),
        ("The group manages 40 hospitals in the north.", "40", "other", "facilities"),
        ("The grocer closed 12 warehouses last year.", "12", "other", "facilities"),
        ("The retailer posted a bigger-than-expected 9% rise in quarterly sales.", "9%", "reported", "beat-miss"),
        ("Quarterly profit of $1.8 billion beat analysts' estimates.", "$1.8 billion", "reported", "beat-miss"),
        ("The carmaker delivered 410,000 vehicles in the quarter.", "410,000", "reported", "report-verb"),
        ("Net income rose to $1.2 billion, or 85 cents a share.", "$1.2 billion", "reported", "results-word"),
        ("The streaming service added 4.3 million subscribers.", "4.3 million", "reported", "operating-measure"),
        ("Inflation eased to 2.4% in March.", "2.4%", "reported", "economic-indicator"),
        ("Premiums written climbed 6% from a year earlier.", "6%", "reported", "result-move"),
    ],
)  # fmt: skip
def test_each_cue_names_the_kind(sentence, figure, kind, rule):
    assert cue(sentence, figure) == (kind, rule)


def test_kind_cue_is_the_kind_alone():
    sentence = "Shares of the insurer fell 4.2% in afternoon trading."
    at = sentence.index("4.2%")
    assert kind_cue(sentence, at, at + 4) == "market"
    assert kind_cue("The tally stood at 42 at the end.", 16, 18) is None


@pytest.mark.parametrize(
    ("sentence", "figure", "kind"),
    [
        # Whose move: the subject named before it, not any mention of shares in the sentence.
        ("Revenue rose 6% and the shares climbed 3% on the news.", "6%", "reported"),
        ("Revenue rose 6% and the shares climbed 3% on the news.", "3%", "market"),
        ("Shares fell 5% after the company said orders dropped 9%.", "9%", "reported"),
        ("The warning came after weak results and a 6% slide in the stock.", "6%", "market"),
        ("The shares jumped on a 9% rise in quarterly sales.", "9%", "reported"),
        # A pronoun is the shares' only when the sentence named them before it.
        ("Shares of the chipmaker jumped 9% on Tuesday, and they are up 40% this year.", "40%", "market"),
        # "They are expected to report" is the market's expectation of a result, not a move of the shares;
        # the company's own expectation is its guidance.
        ("They are expected to report revenue up 4%.", "4%", "estimate"),
        ("They are expected to report revenue up 4%, according to analysts polled by LSEG.", "4%", "estimate"),
        ("The company expects to report revenue up 4%.", "4%", "guidance"),
        # Forecasters' words inside a comparison with them speak for nothing; the verb decides.
        ("The company forecast quarterly revenue of $8.3 billion, above Wall Street estimates.", "$8.3 billion",
         "guidance"),
        ("The company forecast revenue above Wall Street estimates of $8.1 billion.", "$8.1 billion", "estimate"),
        # A price target is not a plan, and buying back shares is not a deal.
        ("The broker cut its target price to 410 pence.", "410 pence", "target"),
        # A count is the plan's when a plan governs it, else `other`.
        ("The grocer plans to close 12 warehouses.", "12", "guidance"),
        # An upgrade is a rating's only to or from a grade.
        ("The upgrade will cost the group $90 million.", "$90 million", "guidance"),
        ("Fitch downgraded the airline to BB from BB+ on Friday, citing 3 billion euros of debt.", "3 billion euros",
         "other"),
    ],
)  # fmt: skip
def test_the_cue_reads_the_figure_s_own_clause(sentence, figure, kind):
    named = cue(sentence, figure)
    assert named is not None and named[0] == kind


def test_a_move_whose_subject_is_an_unnamed_pronoun_is_no_cue():
    assert cue("They slipped 3% on the day.", "3%") is None
    assert cue("It was 2% lower at midday.", "2%") is None


def test_a_figure_with_no_cue_within_reach_gets_no_proposal():
    assert cue("The tally stood at 42 at the end.", "42") is None
    assert cue("The fast-growing unit has 300 engineers.", "300") is None  # a compound's "growing" is no move
    far = "Revenue was a concern, " + "and the chief executive spoke at length about it " * 2 + "for 42 minutes."
    assert cue(far, "42") is None


def test_every_cue_of_the_table_is_documented():
    names = {c.name for c in kinds.CUES} | {"share-move", "result-move", "forecaster-count", "forecaster-outlook"}
    doc = kinds.__doc__ or ""
    assert all(f"| {name} |" in doc or f"`{name}`" in doc for name in names), sorted(
        n for n in names if f"| {n} |" not in doc and f"`{n}`" not in doc
    )
