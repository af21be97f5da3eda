"""Decisions learned from labels (`summarizer.learning`): trained from a gold folder by `summarizer
learn`, used by `summarize()` to choose the sentences it asks the model about as risks and catalysts.
The model's answers here are test doubles (the scripted endpoint): what is tested is which
sentences the library asks about and keeps."""

from __future__ import annotations

import json
import re
import shutil
from datetime import date

import pytest

from summarizer import summarize
from summarizer.cli import main
from summarizer.evaluation import load_dataset
from summarizer.finding import find
from summarizer.learning import ENV, Decisions, DecisionsError, article_features, examples, fit_one, load_decisions
from summarizer.strategies.grounded import asked
from summarizer.strategies.grounded.candidates import MAX_RISKS

from .conftest import ROOT
from .scripted_server import FakeModel
from .strategies.conftest import seed_replies

GOLD = ROOT / "evals" / "gold"
SMALL = ("bbc-0001", "reutersnews-0001", "sentivent-0012")


def small_gold(folder):
    """Three gold articles and their labels, as a desk's gold folder holds them."""
    for sub in ("articles", "labels"):
        (folder / sub).mkdir(parents=True)
    for case in SMALL:
        shutil.copy(GOLD / "articles" / f"{case}.txt", folder / "articles")
        shutil.copy(GOLD / "labels" / f"{case}.yaml", folder / "labels")
    return folder


def test_a_decision_retrained_from_a_small_gold_folder_chooses_what_summarize_asks_about(
    seed_text, tmp_path, monkeypatch, capsys
):
    out = tmp_path / "decisions.json"
    assert main(["learn", "--dataset", str(small_gold(tmp_path / "gold")), "--out", str(out)]) == 0
    assert "learned words-1 fitted on" in capsys.readouterr().out
    data = json.loads(out.read_text())
    assert data["cases"] == 3 and data["dataset"].endswith("gold") and set(data["decisions"]) == {"risk", "catalyst"}
    monkeypatch.setenv(ENV, str(out))
    mine = load_decisions()
    assert mine is not None and mine.data == data

    # The sentences asked about as risks are those the retrained decision finds likely, most likely first.
    published = date(2026, 1, 4)
    plain = find(seed_text, published)
    shown = [i for i in range(len(plain.sentences)) if i not in plain.boilerplate]
    p = {i: mine.probability("risk", feats) for i, feats in article_features(plain).items()}
    likely = sorted(sorted((i for i in shown if p[i] >= mine.threshold("risk")), key=lambda i: -p[i])[:MAX_RISKS])
    found = asked(seed_text, published)
    assert found.risk_sentences == likely and found.scores["risk"] == {i: round(p[i], 4) for i in shown}

    risky = likely[0]
    with FakeModel(seed_replies(found, risks={risky: "execution"})) as srv:
        brief = summarize(seed_text, published=published, base_url=srv.base_url, model="m").brief
    system = srv.requests[0]["messages"][0]["content"]
    tagged = [int(m.group(1)) - 1 for m in re.finditer(r"^\[(\d+)\] \[R\d+\]", system, re.M)]
    assert tagged == likely
    (risk,) = brief.risks
    assert risk.evidence == found.sentences[risky] and risk.checks["risk"].basis.split("|")[0] in ("likely", "possible")


def test_the_json_weights_give_the_probabilities_scikit_learn_gives():
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    from summarizer import learning

    data = examples(load_dataset(GOLD, only=list(SMALL)))
    for decision in ("risk", "catalyst", "category"):
        model = Decisions({"decisions": {decision: fit_one(data, decision)}})
        rows = [e for e in data if e.category] if decision == "category" else data
        vec = DictVectorizer(sparse=False)
        x = vec.fit_transform([e.feats for e in rows])
        solver = "liblinear" if decision != "category" else "lbfgs"
        y = [e.category if decision == "category" else getattr(e, decision) for e in rows]
        sk = LogisticRegression(C=learning.C, max_iter=500, class_weight="balanced", solver=solver).fit(x, y)
        for e, row in zip(rows[:25], sk.predict_proba(x[:25]), strict=False):
            mine = model.probabilities(decision, e.feats)
            for c, q in zip(sk.classes_, row, strict=True):
                assert mine[c.item() if hasattr(c, "item") else c] == pytest.approx(q, abs=0.01)


def test_a_folder_that_cannot_teach_and_a_file_that_is_not_decisions_are_refused(tmp_path, monkeypatch, capsys):
    one = tmp_path / "one"
    for sub in ("articles", "labels"):
        (one / sub).mkdir(parents=True)
    shutil.copy(GOLD / "articles" / "bbc-0001.txt", one / "articles")
    shutil.copy(GOLD / "labels" / "bbc-0001.yaml", one / "labels")
    assert main(["learn", "--dataset", str(one), "--out", str(tmp_path / "d.json")]) == 2
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and "at least two labeled articles" in err
    assert not (tmp_path / "d.json").exists()

    bad = tmp_path / "bad.json"
    bad.write_text("{not json")
    monkeypatch.setenv(ENV, str(bad))
    with pytest.raises(DecisionsError, match="not a decisions file"):
        load_decisions()
    monkeypatch.setenv(ENV, str(tmp_path / "missing.json"))
    with pytest.raises(DecisionsError, match="not a file"):
        load_decisions()
