"""Score a loaded export against a rubric: per-criterion points and evidence, must-have buckets,
a 0-100 total and a stable rank. Pure: no files, no terminal.

Every criterion is evaluated for all applicants at once, column by column. Points are given
on the final 0-100 scale (a criterion's share of the total weight × the fraction earned), so
the points shown for an applicant add up to their total.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import numpy as np
import pandas as pd

from screener.core import dedupe, escape, normalize, providers, testentry, words
from screener.core.columns import FieldMatch
from screener.core.matching import (
    Hits,
    TokenIndex,
    build_index,
    compile_term,
    copy_counts,
    empty_hits,
    find,
    fold_text,
    pattern_words,
    reader_needed,
    text_keys,
)
from screener.core.packed import Submit, pack, unpack
from screener.core.rubric import (
    KINDS,
    AnyOfSpec,
    Applicant,
    ChoiceSpec,
    Criterion,
    KeywordSpec,
    LevelSpec,
    NumberSpec,
    QualitySpec,
    Rubric,
    YesNoSpec,
)

BUCKETS = ("pass", "unknown", "fail")
_DAY_FIRST_FIX = ("If the export writes dates day first, add 'day_first: true' to the rubric's deadline "
                  "('day_first: false' for month first).")
PASS, UNKNOWN, FAIL = BUCKETS


@dataclass
class Outcome:
    """One criterion for every applicant (arrays aligned with the export's rows)."""

    criterion: Criterion
    fraction: np.ndarray  # 0..1, NaN when the answer is blank or unreadable
    status: np.ndarray  # "pass" | "fail" | "unknown"
    reason: np.ndarray  # a reason code for fail/unknown, else ""
    evidence: np.ndarray  # what was read and matched, in words
    points: np.ndarray = field(default_factory=lambda: np.zeros(0))
    # Text-quality criteria: each row's matching.text_key and the copy count that was used.
    text_keys: np.ndarray | None = None
    copies: np.ndarray | None = None
    # Free-text criteria of a rubric with 'language:': the language a reader of each answer
    # needs ("Spanish") when it is none of the rubric's, else "".
    reader: np.ndarray | None = None


@dataclass
class ScoreResult:
    rubric: Rubric
    mapping: dict[str, FieldMatch]
    table: pd.DataFrame  # one row per applicant, in rank order
    answers: pd.DataFrame  # the mapped answers by logical field, same order as ``table``
    outcomes: list[Outcome]  # arrays in export order
    order: np.ndarray  # order[i] = export position of the applicant ranked i+1
    notes: list[str] = field(default_factory=list)

    @property
    def criteria(self) -> tuple[Criterion, ...]:
        return self.rubric.criteria

    def summary(self) -> dict[str, int]:
        return table_summary(self.table)


def table_summary(table: pd.DataFrame) -> dict[str, int]:
    """A ranked table's counts for the summary line: applicants, each bucket, late, duplicates."""
    counts = table["bucket"].value_counts()
    groups = table["duplicate_group"].fillna("").astype(str)
    return {
        "applicants": len(table),
        "pass": int(counts.get(PASS, 0)),
        "unknown": int(counts.get(UNKNOWN, 0)),
        "fail": int(counts.get(FAIL, 0)),
        "late": int((table["late"] == "yes").sum()),
        "duplicates": int((groups != "").sum()),
        "duplicate_groups": int(groups[groups != ""].nunique()),
    }


def max_points(rubric: Rubric) -> dict[str, float]:
    """Each criterion's points at full marks on the 0-100 scale."""
    total = rubric.total_weight or 1.0
    return {c.id: c.weight * 100.0 / total for c in rubric.criteria}


class _Context:
    """Columns of the export by logical field, tokenised at most once each."""

    def __init__(self, frame: pd.DataFrame, mapping: dict[str, FieldMatch],
                 copies: dict[str, np.ndarray] | None = None, fallback_seen: dict[str, int] | None = None,
                 date_order: providers.DateOrder | None = None) -> None:
        self.frame = frame
        # How the submission column's slash dates are read, decided over the whole export by
        # the caller of a piece (``date_order``); None: decided over this frame.
        self.date_order = date_order
        self.mapping = mapping
        self.n = len(frame)
        self._indexes: dict[str, TokenIndex] = {}
        self._blanks: dict[str, np.ndarray] = {}
        self._distinct: dict[str, tuple[np.ndarray, list[str], bool]] = {}
        self._as_text: dict[str, normalize.Distinct] = {}
        self.notes: list[str] = []  # sentences about the whole export, for the person running it
        self.copies = copies or {}  # criterion id -> copy counts in a larger population
        # (fields, languages) -> per row the language a reader needs, and the rows that need one.
        self.readers: dict[tuple[tuple[str, ...], tuple[str, ...]], tuple[np.ndarray, np.ndarray]] = {}
        # Content ids handed out so far (see _fallback_ids); shared by the pieces of one export.
        self.fallback_seen = {} if fallback_seen is None else fallback_seen

    def column(self, name: str) -> pd.Series | None:
        match = self.mapping.get(name)
        if match is None or match.column is None:
            return None
        return self.frame[match.column].reset_index(drop=True)

    def blank(self, name: str) -> np.ndarray:
        """Per row: whether the field's answer is blank (kept: several criteria ask)."""
        found = self._blanks.get(name)
        if found is None:
            found = self._blanks[name] = _mapped(self.as_text(name), lambda v: v.strip() == "").astype(bool)
        return found

    def distinct(self, name: str) -> normalize.Distinct:
        """``normalize.distinct`` of the field's column, taken once: most fields are read by
        several criteria and checks, and each would otherwise hash every row again."""
        found = self._distinct.get(name)
        if found is None:
            found = self._distinct[name] = normalize.distinct_plain(self.text(name))
        return found[0], found[1]

    def as_text(self, name: str) -> normalize.Distinct:
        """The distinct values of the field's column as ``astype(str)`` gives them: ``distinct``'s
        when every value is a str already (the loaders' columns), else taken apart (a missing
        value is then "nan", as evidence and the test-entry check have always read it)."""
        codes, texts = self.distinct(name)
        if self._distinct[name][2]:
            return codes, texts
        found = self._as_text.get(name)
        if found is None:
            found = self._as_text[name] = normalize.distinct(self.text(name).astype(str))
        return found

    def quoted(self, name: str, limit: int = 60) -> np.ndarray:
        """Per row, the field's answer as a short quoted snippet for evidence (``_quote``)."""
        return _mapped(self.as_text(name), lambda v: _quote_one(v, limit))

    def text(self, name: str) -> pd.Series:
        col = self.column(name)
        return col if col is not None else pd.Series([""] * self.n, dtype=object)

    def index(self, name: str, languages: tuple[str, ...] = ()) -> TokenIndex:
        """The column's token index (one per column: every criterion of a rubric has the rubric's
        languages)."""
        found = self._indexes.get(name)
        if found is None or found.languages != languages:
            found = self._indexes[name] = build_index(self.text(name), languages=languages,
                                                      found=self.distinct(name))
        return found


def score(
    frame: pd.DataFrame,
    rubric: Rubric,
    *,
    mapping: dict[str, FieldMatch] | None = None,
    progress: Callable[[str], None] | None = None,
    copies: dict[str, np.ndarray] | None = None,
    duplicates: bool = True,
    fallback_seen: dict[str, int] | None = None,
    submit: Submit | None = None,
    date_order: providers.DateOrder | None = None,
) -> ScoreResult:
    """Score every row of ``frame`` (as returned by ``load_export``) against ``rubric``.

    ``copies`` gives, per text-quality criterion id, each row's number of other applications
    with the same text in a population larger than ``frame`` (the nightly store); by default
    the copies are counted within ``frame``. Without ``duplicates`` no rows are grouped (the
    caller groups a larger population itself); ``fallback_seen`` is shared by the consecutive
    pieces of one export so that content-derived ids come out as for the whole export. With
    ``submit`` (see ``screener.core.packed``), the criteria that read free text are handed to it
    (another process) while this one does the rest; the result is the same without it, and
    ``progress`` is told each of those criteria as it is done there (possibly on another thread).
    ``date_order`` (see ``date_order``) says how the submission column's slash dates are read
    when ``frame`` is a piece of a larger export; by default it is decided over ``frame``."""
    return _start(frame, rubric, mapping, progress, copies, duplicates, fallback_seen, submit, date_order).finish()


class Started:
    """A score begun by ``start_score``: everything but the criteria handed to ``submit`` is done."""

    def __init__(self, ctx: _Context, rubric: Rubric, outcomes: dict[str, Outcome], remote: list[Criterion],
                 pending: Callable[[], list[tuple]] | None, population: _Population,
                 progress: Callable[[str], None] | None,
                 copies: dict[str, tuple[np.ndarray, np.ndarray | None]],
                 tests: tuple[np.ndarray, np.ndarray], remote_done: Callable[[str], None] | None = None) -> None:
        self._ctx, self._rubric, self._outcomes = ctx, rubric, outcomes
        self._remote, self._pending, self._population, self._progress = remote, pending, population, progress
        self._copies, self._tests, self._remote_done = copies, tests, remote_done

    def finish(self) -> ScoreResult:
        """Wait for the criteria handed to ``submit`` and build the table."""
        ctx, rubric, outcomes, progress = self._ctx, self._rubric, self._outcomes, self._progress
        if self._pending is not None:
            outcomes.update(_received(self._pending(), self._remote))
            self._pending = None
            if self._remote_done is not None:  # each was told as it was done; any not told, now
                for crit in self._remote:
                    self._remote_done(crit.id)
        for crit_id, (copies, keys) in self._copies.items():
            _boilerplate(outcomes[crit_id], copies, keys)
        _combine(rubric, outcomes, set(outcomes), progress)
        ordered = [outcomes[c.id] for c in rubric.criteria]
        scale = max_points(rubric)
        for outcome in ordered:
            earned = np.nan_to_num(outcome.fraction, nan=0.0) * scale[outcome.criterion.id]
            outcome.points = np.round(earned, 2)
        table, answers, order = _assemble(ctx, rubric, ordered, self._population, self._tests)
        # The piece's frame, token indexes and outcomes are not needed once the table is built.
        self._ctx = self._outcomes = self._population = None  # type: ignore[assignment]
        return ScoreResult(rubric=rubric, mapping=ctx.mapping, table=table, answers=answers, outcomes=ordered,
                           order=order, notes=ctx.notes)


def prepare(languages: tuple[str, ...]) -> None:
    """Read the word lists and stemmers that matching in ``languages`` needs: a helper process's
    first task (app/parallel.py), done while the main process reads the export."""
    words.preload(languages)


def start_score(frame: pd.DataFrame, rubric: Rubric, **options: Any) -> Started:
    """``score`` in two halves (same keyword arguments): this one hands the free-text criteria
    to ``submit`` and does the rest; ``finish()`` on what it returns waits for them. Meanwhile
    the caller may read or finish other pieces (the streamed score keeps the helper busy so)."""
    return _start(frame, rubric, **options)


def _start(frame: pd.DataFrame, rubric: Rubric, mapping: dict[str, FieldMatch] | None = None,
           progress: Callable[[str], None] | None = None, copies: dict[str, np.ndarray] | None = None,
           duplicates: bool = True, fallback_seen: dict[str, int] | None = None,
           submit: Submit | None = None, date_order: providers.DateOrder | None = None) -> Started:
    frame = frame.reset_index(drop=True)
    if mapping is None:
        data_columns = [c for c in frame.columns if not str(c).startswith("_")]
        mapping = providers.map_rubric(data_columns, rubric)
    ctx = _Context(frame, mapping, copies, fallback_seen, date_order)
    outcomes: dict[str, Outcome] = {}
    remote = [c for c in rubric.criteria if submit is not None and isinstance(c.spec, _TEXT_KINDS)]
    remote_done = _once(progress) if progress and remote else None
    pending = _send(submit, remote, ctx, remote_done) if submit is not None and remote else None
    sent = {c.id for c in remote}
    for crit in rubric.criteria:
        if isinstance(crit.spec, AnyOfSpec) or crit.id in sent:
            continue
        outcomes[crit.id] = _evaluate(crit, ctx)
        if progress:
            progress(crit.id)
    quality = _quality_copies(ctx, rubric)
    # any_of criteria whose parts are all final are combined now, not after the wait.
    _combine(rubric, outcomes, set(outcomes) - set(quality), progress)
    population = _population(ctx, rubric, duplicates)
    # Here, not in the other process: it reads the free text there for longer than this one
    # takes for everything else (a 100k export: about 1 s more), so the check fits in the wait.
    tests = _test_entries(ctx, rubric.applicant, tuple(rubric.fields))
    return Started(ctx, rubric, outcomes, remote, pending, population, progress, quality, tests, remote_done)


def _once(progress: Callable[[str], None]) -> Callable[[str], None]:
    """``progress``, told each step once: the criteria handed to ``submit`` are told as the other
    process does them (on another thread), and a criterion it did before dying is done again
    here (``submit``'s fallback), or told again by ``finish`` for one whose step was lost."""
    told: set[str] = set()

    def tell(step: str) -> None:
        if step not in told:  # calls never overlap (``Submit``)
            told.add(step)
            progress(step)

    return tell


def _combine(rubric: Rubric, outcomes: dict[str, Outcome], final: set[str],
             progress: Callable[[str], None] | None) -> None:
    """Add the outcome of each any_of criterion not combined yet whose parts are all ``final``."""
    for crit in rubric.criteria:
        if isinstance(crit.spec, AnyOfSpec) and crit.id not in outcomes and set(crit.spec.of) <= final:
            outcomes[crit.id] = _any_of(crit, [outcomes[ref] for ref in crit.spec.of])
            final.add(crit.id)
            if progress:
                progress(crit.id)


def _quality_copies(ctx: _Context, rubric: Rubric) -> dict[str, tuple[np.ndarray, np.ndarray | None]]:
    """Per text-quality criterion: each row's number of other applications with the same
    normalised text, and the text keys it was counted from (None when the caller gave the
    counts, from a larger population)."""
    out: dict[str, tuple[np.ndarray, np.ndarray | None]] = {}
    for crit in rubric.criteria:
        if isinstance(crit.spec, QualitySpec):
            given = ctx.copies.get(crit.id)
            if given is not None:
                out[crit.id] = (np.asarray(given, dtype=np.int64), None)
            else:
                keys = text_keys(ctx.text(crit.fields[0]))
                out[crit.id] = (copy_counts(keys), keys)
    return out


# The spec classes of the criteria that tokenise free text: the slow ones.
_TEXT_KINDS = tuple(kind.spec for kind in KINDS.values() if kind.free_text)


def _evaluate(crit: Criterion, ctx: _Context) -> Outcome:
    outcome = _EVALUATORS[crit.kind](crit, ctx)
    _mark_unmapped(outcome, crit, ctx)
    return outcome


def _send(submit: Submit, criteria: list[Criterion], ctx: _Context,
          report: Callable[[str], None] | None = None) -> Callable[[], list[tuple]]:
    """Hand ``criteria`` to ``submit``, with only the columns they read. With ``report``, each
    criterion's id is reported to it as it is done there (``Submit``'s ``report``): the frame is
    still sent once, in one task."""
    fields = {name for crit in criteria for name in crit.fields}
    mapping = {name: ctx.mapping[name] for name in fields if name in ctx.mapping}
    columns = list(dict.fromkeys(m.column for m in mapping.values() if m.column is not None))
    args = (ctx.frame[columns], tuple(criteria), mapping)
    if report is None:
        return submit(evaluate_remote, *args)
    return submit(evaluate_remote, *args, report=report)


def evaluate_remote(frame: pd.DataFrame, criteria: tuple[Criterion, ...], mapping: dict[str, FieldMatch],
                    report: Callable[[str], None] | None = None) -> list[tuple]:
    """In the other process: each criterion's outcome arrays, packed (see ``_send``).
    ``report(id)`` is called as each criterion is done."""
    ctx = _Context(frame, mapping)
    out = []
    for crit in criteria:
        o = _evaluate(crit, ctx)
        out.append(tuple(map(pack, (o.fraction, o.status, o.reason, o.evidence, o.reader))))
        if report is not None:
            report(crit.id)
    return out


def _plain_fields(who: Applicant, fields: tuple[str, ...]) -> list[str]:
    return [f for f in fields if f not in (*who.identity_fields, who.submitted_at, who.status)]


def _test_entries(ctx: _Context, who: Applicant, fields: tuple[str, ...]) -> tuple[np.ndarray, np.ndarray]:
    """``testentry.flag`` of every row: the name and e-mail as ``_identity`` reads them, and the
    answers to every field that is not the applicant's identity, time or status."""
    name, email = _name_email(ctx, who)
    answers = [ctx.as_text(f) for f in _plain_fields(who, fields)]
    return testentry.flag(name.tolist(), email.tolist(), answers, who.internal_domains)


def _received(arrays: list[tuple], criteria: list[Criterion]) -> dict[str, Outcome]:
    """The outcomes ``evaluate_remote`` sent back."""
    out = {}
    for crit, got in zip(criteria, arrays, strict=True):
        fraction, status, reason, evidence, reader = map(unpack, got)
        out[crit.id] = Outcome(crit, fraction, status, reason, evidence, reader=reader)
    return out


# --------------------------------------------------------------------------------------------
# Helpers shared by the criterion kinds.


def _strings(n: int, value: str = "") -> np.ndarray:
    return np.full(n, value, dtype=object)


def _per_distinct(values: pd.Series | np.ndarray, fn: Callable[[str], object]) -> np.ndarray:
    """``fn`` applied once per distinct value (answers repeat a lot), mapped back to every row."""
    return _mapped(normalize.distinct(pd.Series(values, dtype=object).astype(str)), fn)


def _mapped(found: normalize.Distinct, fn: Callable[[str], object]) -> np.ndarray:
    """``fn`` of each distinct value (``found``), mapped back to every row."""
    codes, texts = found
    results = np.empty(len(texts), dtype=object)
    results[:] = [fn(text) for text in texts]
    return results[codes] if len(codes) else np.zeros(0, dtype=object)


def _append(evidence: np.ndarray, piece: np.ndarray | str, where: np.ndarray, sep: str = "; ") -> np.ndarray:
    """A copy of ``evidence`` with ``piece`` (per row, or one text) added in the rows ``where`` is
    true. Joined in one pass over those rows only: numpy's ``+`` on text makes a new string for
    every row, twice, and most rows usually have nothing to add."""
    out = np.array(evidence, dtype=object)
    rows = np.flatnonzero(where)
    if rows.size:
        more = piece[rows].tolist() if isinstance(piece, np.ndarray) else [piece] * rows.size
        out[rows] = [text + sep + add if text else add for text, add in zip(out[rows].tolist(), more, strict=True)]
    return out


def _quote_one(value: str, limit: int) -> str:
    short = " ".join(value.split())
    return "'" + (short if len(short) <= limit else short[: limit - 1] + "…") + "'"


def _quote(values: pd.Series | np.ndarray, limit: int = 60) -> np.ndarray:
    """Answers as short quoted snippets for evidence."""
    return _per_distinct(values, lambda v: _quote_one(v, limit))


def _mark_unmapped(outcome: Outcome, crit: Criterion, ctx: _Context) -> None:
    missing = [f for f in crit.fields if ctx.column(f) is None]
    if missing and len(missing) == len(crit.fields):
        outcome.fraction[:] = np.nan
        outcome.status[:] = UNKNOWN
        outcome.reason[:] = "unmapped"
        outcome.evidence[:] = "no column for " + ", ".join(missing)


def _statuses(
    known: np.ndarray, passed: np.ndarray, fail_reason: str, unknown_reason: np.ndarray | str
) -> tuple[np.ndarray, np.ndarray]:
    # Taken from 3-value arrays: every row refers to one of three str objects (fast, and cheap
    # to send from the helper process), where np.where(...).astype(object) made one per row.
    which = np.where(~known, 0, np.where(passed, 1, 2))
    status = _STATUS_VALUES[which]
    if isinstance(unknown_reason, str):
        reason = np.array([unknown_reason, "", fail_reason], dtype=object)[which]
    else:
        reason = np.where(~known, unknown_reason, np.where(passed, "", fail_reason)).astype(object)
    return status, reason


_STATUS_VALUES = np.array([UNKNOWN, PASS, FAIL], dtype=object)


def _term_hits(spec: KeywordSpec, fields: tuple[str, ...], ctx: _Context) -> list[tuple[str, Hits]]:
    """For each term, where it was found across ``fields`` (first field that has it wins). A row
    whose only mention is negated ("no experience with Jira") has ``negated`` set and no hit,
    unless the criterion says ``negated: count``."""
    compiled = [([p for v in term.variants for p in compile_term(v, spec.languages)],
                 term.fuzzy if term.fuzzy is not None else spec.fuzzy) for term in spec.terms]
    # Every word of every term is scored against each vocabulary in one batch per threshold.
    for name in fields:
        if ctx.column(name) is not None:
            index = ctx.index(name, spec.languages)
            for patterns, _f in compiled:
                index.remember(patterns)
            for fuzzy in {f for _p, f in compiled}:
                pairs = [w for patterns, f in compiled if f == fuzzy for w in pattern_words(patterns)]
                index.prefetch(pairs, fuzzy, spec.fuzzy_min_length)
    results = []
    for term, (patterns, fuzzy) in zip(spec.terms, compiled, strict=True):
        combined = empty_hits(ctx.n)
        variants = {fold_text(v) for v in term.variants}
        for name in fields:
            if ctx.column(name) is None:
                continue
            hits = find(ctx.index(name, spec.languages), patterns, fuzzy, spec.fuzzy_min_length)
            found = hits.hit | (hits.negated & spec.count_negated)
            where = f" in {name}" if len(fields) > 1 else ""
            # Evidence is written only for the rows this field adds, not for every row.
            rows = np.flatnonzero(found & ~combined.hit)
            if rows.size:
                combined.hit[rows] = True
                combined.negated[rows] = hits.negated[rows]
                combined.matched[rows] = _found_evidence(term.text, variants, hits, rows) + where
                combined.score[rows] = np.where(hits.negated[rows], 100, hits.score[rows])
            negated_rows = np.flatnonzero(hits.negated & ~found & ~combined.hit & ~combined.negated)
            if negated_rows.size:
                combined.negated[negated_rows] = True
                combined.matched[negated_rows] = "'" + hits.matched[negated_rows] + "'" + where
        results.append((term.text, combined))
    return results


def _found_evidence(term: str, variants: set[str], hits: Hits, rows: np.ndarray) -> np.ndarray:
    """How each row's text matched: the term alone when it was written as in the rubric (or one
    of its synonyms), else "'what was written' → term (how)": accent, traditional, stem,
    compound, ending, typo (with its similarity), or nothing said for spacing and wildcards."""
    matched, how, score = hits.matched[rows], hits.how[rows], hits.score[rows]
    codes, uniques = pd.factorize(matched)  # the texts repeat: each is folded once
    as_written = np.array([fold_text(m) in variants for m in uniques], dtype=bool)[codes]
    label = np.where(how == "typo", "typo, " + score.astype(str), how)
    shown = np.where(label != "", "'" + matched + "' → " + term + " (" + label + ")", term + " ≈ '" + matched + "'")
    shown = np.where(as_written & (how == ""), term, shown)
    return np.where(hits.negated[rows], "negated (counted): '" + matched + "' → " + term, shown).astype(object)


# --------------------------------------------------------------------------------------------
# The criterion kinds.


def _keywords(crit: Criterion, ctx: _Context) -> Outcome:
    spec = crit.spec
    assert isinstance(spec, KeywordSpec)
    hits = _term_hits(spec, crit.fields, ctx)
    count = np.zeros(ctx.n, dtype=np.int64)
    evidence = _strings(ctx.n)
    negated = _strings(ctx.n)
    for _term, found in hits:
        count += found.hit
        rows = np.flatnonzero(found.hit)
        evidence[rows] = _append(evidence[rows], found.matched[rows], np.ones(rows.size, dtype=bool))
        rows = np.flatnonzero(found.negated & ~found.hit)
        negated[rows] = _append(negated[rows], found.matched[rows], np.ones(rows.size, dtype=bool))
    total = len(spec.terms)
    if spec.match == "any":
        fraction = (count >= 1).astype(float)
        needed = spec.min_count
    elif spec.match == "all":
        fraction = count / total
        needed = total
    else:
        fraction = np.minimum(count, spec.cap) / spec.cap
        needed = spec.min_count
    blank = np.ones(ctx.n, dtype=bool)
    for name in crit.fields:
        if ctx.column(name) is not None:
            blank &= ctx.index(name, spec.languages).blank
    fraction = np.where(blank, np.nan, fraction)
    status, reason = _statuses(~blank, count >= needed, "no_match", "blank")
    # Each sentence is put together only in the rows that say it.
    shown = np.where(blank, "blank answer", "no terms found").astype(object)
    rows = np.flatnonzero((count > 0) & ~blank)
    shown[rows] = count[rows].astype(str).astype(object) + f" of {total} terms: " + evidence[rows]
    rows = np.flatnonzero(negated != "")
    shown[rows] = shown[rows] + "; negated, not counted: " + negated[rows]
    shown, reader = _reader_note(shown, crit.fields, spec.languages, ctx)
    return Outcome(crit, fraction, status, reason, shown, reader=reader)


def _reader_note(evidence: np.ndarray, fields: tuple[str, ...], languages: tuple[str, ...],
                 ctx: _Context) -> tuple[np.ndarray, np.ndarray | None]:
    """Evidence that says "needs a reader of Spanish" where an answer is in a language the
    rubric does not name (the score of such an answer says little), and those languages."""
    if not languages:
        return evidence, None
    key = (fields, languages)
    if key not in ctx.readers:  # criteria reading the same fields share it
        reader = _strings(ctx.n)
        for name in fields:
            if ctx.column(name) is not None:
                found = reader_needed(ctx.index(name, languages))
                reader = np.where(reader == "", found, reader)
        ctx.readers[key] = (reader, np.flatnonzero(reader != ""))
    reader, flagged = ctx.readers[key]
    if flagged.size:
        evidence = np.asarray(evidence, dtype=object).copy()
        evidence[flagged] = _with_reader(evidence[flagged], reader[flagged])
    return evidence, reader


def _with_reader(evidence: np.ndarray, reader: np.ndarray) -> np.ndarray:
    """``evidence`` with "; needs a reader of LANGUAGE" where ``reader`` names one."""
    return np.where(reader != "", evidence + "; needs a reader of " + reader, evidence).astype(object)


def _number(crit: Criterion, ctx: _Context) -> Outcome:
    spec = crit.spec
    assert isinstance(spec, NumberSpec)
    raw = ctx.text(crit.fields[0])
    parsed = normalize.parse_number(raw, unit=spec.unit, found=ctx.distinct(crit.fields[0]))
    value = parsed.value.to_numpy(dtype=float)
    known = ~np.isnan(value)
    if spec.scale:
        xs = np.array([p[0] for p in spec.scale])
        ys = np.array([p[1] for p in spec.scale])
        fraction = np.interp(np.nan_to_num(value), xs, ys)
    else:
        fraction = (np.nan_to_num(value, nan=-1) >= (spec.min or 0)).astype(float)
    fraction = np.where(known, fraction, np.nan)
    passed = np.nan_to_num(value, nan=-1) >= spec.min if spec.min is not None else known
    blank = ctx.blank(crit.fields[0])
    unknown_reason = np.where(blank, "blank", "unreadable")
    status, reason = _statuses(known, passed, "below_min", unknown_reason)
    note = parsed.note.to_numpy(dtype=object)
    evidence = np.where(blank, "blank answer", np.where(note == "", "answered " + ctx.quoted(crit.fields[0], 40), note))
    if spec.min is not None:
        evidence = np.where(known, evidence + f" (at least {spec.min:g} wanted)", evidence)
    return Outcome(crit, fraction, status, reason, evidence.astype(object))


def _level(crit: Criterion, ctx: _Context) -> Outcome:
    spec = crit.spec
    assert isinstance(spec, LevelSpec)
    raw = ctx.text(crit.fields[0])
    if spec.levels:
        levels = {name: (name, *synonyms) for name, synonyms in spec.levels}
    else:
        levels = dict(normalize.DEGREE_LEVELS)
    parsed = normalize.parse_level(raw, levels, found=ctx.distinct(crit.fields[0]))
    value = parsed.value.to_numpy(dtype=float)
    names = list(levels)
    known = ~np.isnan(value)
    if spec.scale:
        table = dict(spec.scale)
        fraction = np.array([table.get(label, 0.0) for label in names])[
            np.nan_to_num(value).astype(int)
        ]
    else:
        fraction = (np.nan_to_num(value, nan=-1) >= names.index(spec.min or names[0])).astype(float)
    level_ok = np.nan_to_num(value, nan=-1) >= names.index(spec.min) if spec.min else known
    blank = ctx.blank(crit.fields[0])
    unknown_reason: np.ndarray = np.where(blank, "blank", "unreadable").astype(object)
    fail_reason = np.full(ctx.n, "below_min", dtype=object)
    passed = level_ok
    evidence = np.where(blank, "blank answer", parsed.note.to_numpy(dtype=object))
    if spec.subject is not None and spec.subject_field is not None:
        sub_blank = ctx.blank(spec.subject_field)
        sub_ok = np.zeros(ctx.n, dtype=bool)
        which = _strings(ctx.n)
        for _term, found in _term_hits(spec.subject, (spec.subject_field,), ctx):
            which = np.where(found.hit & (which == ""), found.matched, which)
            sub_ok |= found.hit
        fraction = fraction * sub_ok
        # A high enough degree with no field of study given cannot be judged either way.
        waiting = known & level_ok & sub_blank
        unknown_reason = np.where(waiting, "subject_blank", unknown_reason)
        fail_reason = np.where(level_ok & ~sub_ok, "subject_mismatch", fail_reason)
        known = known & ~waiting
        passed = level_ok & sub_ok
        subject = "; field of study " + ctx.quoted(spec.subject_field)
        subject_note = np.where(sub_blank, "; field of study blank", np.where(
            sub_ok, subject + " matches " + which, subject + " is not one of the subjects"))
        evidence = np.where(blank, evidence, evidence + subject_note)
    fraction = np.where(~np.isnan(value), fraction, np.nan)
    status = np.where(~known, UNKNOWN, np.where(passed, PASS, FAIL)).astype(object)
    reason = np.where(~known, unknown_reason, np.where(passed, "", fail_reason)).astype(object)
    return Outcome(crit, fraction, status, reason, evidence.astype(object))


def _choice(crit: Criterion, ctx: _Context) -> Outcome:
    spec = crit.spec
    assert isinstance(spec, ChoiceSpec)
    raw = ctx.text(crit.fields[0])
    options = {opt.name: (opt.name, *opt.synonyms) for opt in spec.options}
    chosen = normalize.split_choices(raw, options, found=ctx.distinct(crit.fields[0]))
    best = np.zeros(ctx.n)
    total = np.zeros(ctx.n)
    evidence = _strings(ctx.n)
    for opt in spec.options:
        picked = chosen[opt.name].to_numpy(dtype=bool)
        best = np.where(picked, np.maximum(best, opt.points), best)
        total = total + picked * opt.points
        evidence = _append(evidence, opt.name, picked, ", ")
    fraction = best if spec.combine == "best" else np.minimum(total, 1.0)
    blank = ctx.blank(crit.fields[0])
    fraction = np.where(blank, np.nan, fraction)
    status, reason = _statuses(~blank, fraction > 0, "no_listed_choice", "blank")
    others = normalize.unmatched_choices(raw, options, found=ctx.distinct(crit.fields[0])).to_numpy(dtype=object)
    evidence = np.where(evidence != "", "chose " + evidence, "none of the listed choices")
    evidence = np.where(others != "", evidence + " (also: " + _quote(others, 40) + ")", evidence)
    evidence = np.where(blank, "blank answer", evidence)
    return Outcome(crit, fraction, status, reason, evidence.astype(object))


def _yesno(crit: Criterion, ctx: _Context) -> Outcome:
    spec = crit.spec
    assert isinstance(spec, YesNoSpec)
    raw = ctx.text(crit.fields[0])
    parsed = normalize.parse_yesno(raw, found=ctx.distinct(crit.fields[0]))
    value = parsed.value.to_numpy(dtype=float)
    known = ~np.isnan(value)
    wanted = 1.0 if spec.expect else 0.0
    fraction = np.where(known, (value == wanted).astype(float), np.nan)
    blank = ctx.blank(crit.fields[0])
    unknown_reason = np.where(blank, "blank", "unreadable")
    status, reason = _statuses(known, value == wanted, "answered_no" if spec.expect else
                               "answered_yes", unknown_reason)
    evidence = np.where(blank, "blank answer", "answered " + ctx.quoted(crit.fields[0], 40))
    evidence = np.where(known | blank, evidence, parsed.note.to_numpy(dtype=object))
    return Outcome(crit, fraction, status, reason, evidence.astype(object))


def _quality(crit: Criterion, ctx: _Context) -> Outcome:
    """Length and variety of one answer. Copies of the same text from several applicants are
    not judged here but by ``_boilerplate``, in the process that holds the whole export (text
    keys are cheap there while the free text is tokenised in the helper)."""
    spec = crit.spec
    assert isinstance(spec, QualitySpec)
    name = crit.fields[0]
    index = ctx.index(name, spec.languages)
    n_words = index.word_counts
    blank = index.blank
    # Very few distinct words in a long answer: "asdf asdf asdf ..." or keyword stuffing.
    distinct = index.few_distinct(0.25, 20)
    repetitive = distinct >= 0
    fraction = np.minimum(n_words / spec.good_words, 1.0)
    fraction = np.where(repetitive, 0.0, fraction)
    fraction = np.where(blank, np.nan, fraction)
    short = n_words < spec.min_words
    passed = ~repetitive & ~short
    fail_reason = np.where(repetitive, "repetitive", "too_short")
    status, reason = _statuses(~blank, passed, "", "blank")
    reason = np.where(status == FAIL, fail_reason, reason).astype(object)
    count_txt = n_words.astype(str) + " words"
    evidence = np.where(short, count_txt + f" (fewer than {spec.min_words})", count_txt)
    evidence = np.where(repetitive, "repetitive: " + distinct.astype(str) + " distinct words in " + count_txt,
                        evidence)
    evidence = np.where(blank, "blank answer", evidence)
    evidence, reader = _reader_note(evidence, crit.fields, spec.languages, ctx)
    return Outcome(crit, fraction, status, reason, evidence.astype(object), reader=reader)


def _boilerplate(outcome: Outcome, copies: np.ndarray, keys: np.ndarray | None) -> None:
    """A text-quality outcome (from ``_quality``) failed where the same text (normalised) came
    from ``max_copies`` or more other applications: copy-paste boilerplate. ``copies`` per row,
    ``keys`` the text keys they were counted from (kept in the outcome when given)."""
    spec = outcome.criterion.spec
    assert isinstance(spec, QualitySpec)
    answered = ~np.isnan(outcome.fraction)
    copies = np.where(answered, np.asarray(copies, dtype=np.int64), 0)
    outcome.copies, outcome.text_keys = copies, keys
    rows = np.flatnonzero(copies >= spec.max_copies)
    if not rows.size:
        return
    outcome.fraction = outcome.fraction.copy()
    outcome.fraction[rows] = 0.0
    outcome.status = outcome.status.copy()
    outcome.status[rows] = FAIL
    outcome.reason = outcome.reason.copy()
    outcome.reason[rows] = "boilerplate"
    evidence = boilerplate_evidence(copies[rows])
    if outcome.reader is not None:
        evidence = _with_reader(evidence, outcome.reader[rows])
    outcome.evidence = outcome.evidence.copy()
    outcome.evidence[rows] = evidence


BOILERPLATE = "same text as "


def boilerplate_evidence(copies: np.ndarray) -> np.ndarray:
    """The evidence of a text-quality fail for copied text: "same text as N other applications"."""
    return (BOILERPLATE + np.asarray(copies).astype(np.int64).astype(str).astype(object)
            + " other applications").astype(object)


def _any_of(crit: Criterion, parts: list[Outcome]) -> Outcome:
    n = len(parts[0].status)
    fractions = np.vstack([p.fraction for p in parts])
    all_nan = np.isnan(fractions).all(axis=0)
    fraction = np.where(all_nan, np.nan, np.nanmax(np.where(np.isnan(fractions), -1, fractions), axis=0))
    statuses = np.vstack([p.status for p in parts])
    any_pass = (statuses == PASS).any(axis=0)
    all_fail = (statuses == FAIL).all(axis=0)
    status = np.where(any_pass, PASS, np.where(all_fail, FAIL, UNKNOWN)).astype(object)
    evidence = _strings(n)
    via = _strings(n)
    for part in parts:
        ok = (part.status == PASS) & (via == "")
        via = np.where(ok, "met by " + part.criterion.id + ": " + part.evidence, via)
        summary = part.criterion.id + " " + part.status + np.where(
            part.reason != "", " (" + part.reason + ")", "")
        evidence = _append(evidence, summary, np.ones(n, dtype=bool))
    evidence = np.where(any_pass, via, "none met: " + evidence)
    # The reason names each part and why it did not pass: "relevant_degree:below_min+...".
    parts_reason = _strings(n)
    for part in parts:
        code = part.criterion.id + ":" + np.where(part.reason != "", part.reason, part.status)
        parts_reason = _append(parts_reason, code.astype(object), np.ones(n, dtype=bool), "+")
    reason = np.where(status == PASS, "", parts_reason)
    return Outcome(crit, fraction, status, reason.astype(object), evidence.astype(object))


# Each kind's evaluator, by its name in rubric.KINDS. any_of has none: Started.finish combines
# the outcomes of its parts.
_EVALUATORS: dict[str, Callable[[Criterion, _Context], Outcome]] = {
    "keywords": _keywords,
    "number": _number,
    "level": _level,
    "choice": _choice,
    "yesno": _yesno,
    "text_quality": _quality,
}


def _check_evaluators() -> None:
    """Fail on import, not mid-score, when a kind in rubric.KINDS has no evaluator here."""
    wanted = {name for name, kind in KINDS.items() if kind.spec is not AnyOfSpec}
    if wanted != set(_EVALUATORS):
        missing = ", ".join(sorted(wanted - set(_EVALUATORS))) or "none"
        unknown = ", ".join(sorted(set(_EVALUATORS) - wanted)) or "none"
        raise RuntimeError(f"scoring._EVALUATORS does not match rubric.KINDS: no evaluator for {missing}; "
                           f"evaluators for no (or a combining) kind: {unknown}")


_check_evaluators()


# --------------------------------------------------------------------------------------------
# The table: identity, buckets, late flags, duplicates, reasons, rank.


@dataclass
class _Population:
    """What the table needs that does not depend on the criteria."""

    people: pd.DataFrame
    late: np.ndarray
    submitted: np.ndarray
    groups: dedupe.Groups
    late_why: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=object))


def _population(ctx: _Context, rubric: Rubric, duplicates: bool) -> _Population:
    people = _identity(ctx, rubric)
    late, submitted, late_why = _late(ctx, rubric)
    if duplicates:
        profiles, regions = _profiles_regions(ctx, rubric)
        groups = dedupe.group_duplicates(people["id"], people["email"], people["phone"], people["name"],
                                         _answers_text(ctx, rubric), pd.Series(submitted), profiles, regions)
    else:
        n = ctx.n
        groups = dedupe.Groups(group=_strings(n), why=_strings(n), size=np.zeros(n, dtype=np.int64))
    return _Population(people, late, submitted, groups, late_why)


def _assemble(
    ctx: _Context, rubric: Rubric, outcomes: list[Outcome], population: _Population,
    tests: tuple[np.ndarray, np.ndarray],
) -> tuple[pd.DataFrame, pd.DataFrame, np.ndarray]:
    n = ctx.n
    frame = ctx.frame
    who = rubric.applicant
    people = population.people
    ids, name, email, phone = (people[c] for c in ("id", "name", "email", "phone"))
    row = people["row"].to_numpy()

    musts = [o for o in outcomes if o.criterion.must]
    must_status = np.vstack([o.status for o in musts]) if musts else np.empty((0, n), dtype=object)
    n_fail = (must_status == FAIL).sum(axis=0)
    n_unknown = (must_status == UNKNOWN).sum(axis=0)
    n_pass = (must_status == PASS).sum(axis=0)
    bucket = np.where(n_fail > 0, FAIL, np.where(n_unknown > 0, UNKNOWN, PASS)).astype(object)
    knockouts = _strings(n)
    for o in musts:
        flagged = o.status != PASS
        piece = o.criterion.id + " " + o.status + " (" + o.reason + ")"
        knockouts = _append(knockouts, piece, flagged)

    points = np.vstack([o.points for o in outcomes]) if outcomes else np.zeros((0, n))
    total = np.round(points.sum(axis=0), 2)
    reasons = _top_reasons(outcomes, points)
    readers = _strings(n)
    for o in outcomes:
        if o.reader is not None:
            readers = np.where(readers == "", o.reader, readers)
    reasons = np.where(readers != "", "needs a reader of " + readers + np.where(reasons != "", "; ", "") + reasons,
                       reasons).astype(object)

    late, submitted, groups = population.late, population.submitted, population.groups
    status_field = who.status
    entry_status = ctx.text(status_field).str.strip() if status_field else pd.Series([""] * n, dtype=object)
    test_entry, test_why = tests

    data: dict[str, object] = {
        "rank": np.zeros(n, dtype=np.int64),
        "id": ids.to_numpy(dtype=object),
        "row": row,
        "line": frame["_line"].to_numpy() if "_line" in frame else row,
        "name": name.to_numpy(dtype=object),
        "email": email.to_numpy(dtype=object),
        "phone": phone.to_numpy(dtype=object),
        "score": total,
        "bucket": bucket,
        "must_pass": n_pass,
        "must_unknown": n_unknown,
        "must_fail": n_fail,
        "knockouts": knockouts,
        "reasons": reasons,
        "submitted_at": submitted,
        "late": late,
        "late_why": population.late_why,
        "entry_status": entry_status.to_numpy(dtype=object),
        "test_entry": test_entry,
        "test_entry_why": test_why,
        "duplicate_group": groups.group,
        "duplicate_why": groups.why,
    }
    for o in outcomes:
        cid = o.criterion.id
        data[f"{cid}.points"] = o.points
        data[f"{cid}.status"] = o.status
        data[f"{cid}.evidence"] = o.evidence
    data["rubric"] = np.full(n, rubric.name, dtype=object)
    data["rubric_sha256"] = np.full(n, rubric.sha256, dtype=object)
    table = pd.DataFrame(data)

    answers = pd.DataFrame({name: ctx.text(name).to_numpy(dtype=object) for name in rubric.fields})
    order = rank_order(table)
    table = table.iloc[order].reset_index(drop=True)
    table["rank"] = np.arange(1, n + 1)
    answers = answers.iloc[order].reset_index(drop=True)
    return table, answers, order


def identities(frame: pd.DataFrame, rubric: Rubric, mapping: dict[str, FieldMatch] | None = None,
               fallback_seen: dict[str, int] | None = None,
               date_order: providers.DateOrder | None = None, times: bool = True) -> pd.DataFrame:
    """Who each row is: id, row, line, name, email, phone, answers text and submission time (UTC;
    "" without ``times``, for a caller that reads the whole column later: ``submitted_times``)."""
    frame = frame.reset_index(drop=True)
    if mapping is None:
        mapping = providers.map_rubric([c for c in frame.columns if not str(c).startswith("_")], rubric)
    ctx = _Context(frame, mapping, fallback_seen=fallback_seen, date_order=date_order)
    people = _identity(ctx, rubric)
    people["answers"] = _answers_text(ctx, rubric).to_numpy(dtype=object)
    people["submitted_at"] = _late(ctx, rubric)[1] if times else _strings(ctx.n)
    profiles, regions = _profiles_regions(ctx, rubric)
    people["profile"] = profiles.to_numpy(dtype=object)
    people["phone_region"] = regions.to_numpy(dtype=object)
    return people


def _profiles_regions(ctx: _Context, rubric: Rubric) -> tuple[pd.Series, pd.Series]:
    """For duplicate grouping, per row: the applicant's ``other`` fields that hold a profile URL
    (LinkedIn, GitHub), joined; and the phone region named by a country field ("" for the
    default)."""
    n = ctx.n
    urls = pd.Series([""] * n, dtype=object)
    regions = pd.Series([""] * n, dtype=object)
    for name in rubric.applicant.other:
        col = ctx.column(name)
        if col is None:
            continue
        values = col.astype(str)
        if values.str.contains(r"linkedin\.com/|github\.com/", case=False, regex=True).any():
            urls = urls + " " + values
        if "country" in name.casefold():
            found = values.map(dedupe.phone_region)
            regions = regions.where(regions != "", found)
    return urls.str.strip(), regions


def answers_text(frame: pd.DataFrame, rubric: Rubric, mapping: dict[str, FieldMatch]) -> pd.Series:
    """Each row's free text as duplicate grouping compares it (``identities``' "answers")."""
    return _answers_text(_Context(frame.reset_index(drop=True), mapping), rubric)


def date_notes(frame: pd.DataFrame, rubric: Rubric, mapping: dict[str, FieldMatch],
               order: providers.DateOrder | None = None) -> list[str]:
    """The notes ``score`` writes about the submission times of ``frame`` (unread or day-first
    dates): for an export scored in pieces, from its submission column and lines alone."""
    ctx = _Context(frame.reset_index(drop=True), mapping, date_order=order)
    _late(ctx, rubric)
    return ctx.notes


def submitted_times(frame: pd.DataFrame, rubric: Rubric, mapping: dict[str, FieldMatch],
                    order: providers.DateOrder | None = None) -> np.ndarray:
    """Each row's submission time (UTC, as ``identities`` gives it) read with ``order``."""
    return _late(_Context(frame.reset_index(drop=True), mapping, date_order=order), rubric)[1]


def date_order(frame: pd.DataFrame, rubric: Rubric, mapping: dict[str, FieldMatch]) -> providers.DateOrder | None:
    """How the submission column's slash dates are read, decided over every row of ``frame`` (the
    whole export): see ``providers.date_order``. None without a submission column."""
    found = date_evidence(frame, rubric, mapping)
    return None if found is None else decide_date_order(found[0], found[1], rubric)


def date_evidence(frame: pd.DataFrame, rubric: Rubric, mapping: dict[str, FieldMatch]
                  ) -> tuple[str, normalize.SlashEvidence] | None:
    """The submission column and what its slash dates say of their order, over ``frame``'s rows
    (``date_order`` decides from it; a nightly run adds the evidence of the rows read before)."""
    name = rubric.applicant.submitted_at
    match = mapping.get(name) if name else None
    if match is None or match.column is None or match.column not in frame:
        return None
    return match.column, normalize.slash_evidence(frame[match.column].astype(str))


def decide_date_order(column: str, evidence: normalize.SlashEvidence, rubric: Rubric) -> providers.DateOrder:
    """``date_order`` from the evidence of a whole export."""
    stated = rubric.deadline.day_first if rubric.deadline else None
    return providers.date_order(column, evidence, stated)


def entry_ids(frame: pd.DataFrame, rubric: Rubric, mapping: dict[str, FieldMatch]) -> np.ndarray:
    """Each row's applicant id, as ``identities`` gives it, without reading dates or answers."""
    return _identity(_Context(frame.reset_index(drop=True), mapping), rubric)["id"].to_numpy(dtype=object)


def _name_email(ctx: _Context, who: Applicant) -> tuple[pd.Series, pd.Series]:
    """Each row's name (its parts joined) and e-mail, stripped."""
    blank = pd.Series([""] * ctx.n, dtype=object)
    name_parts = [ctx.text(f).astype(str).str.strip() for f in who.name if ctx.column(f) is not None]
    name = name_parts[0] if name_parts else blank
    for part in name_parts[1:]:
        name = (name + " " + part).str.strip()
    email = ctx.text(who.email).astype(str).str.strip() if who.email else blank
    return name, email


def _identity(ctx: _Context, rubric: Rubric) -> pd.DataFrame:
    n = ctx.n
    who = rubric.applicant
    frame = ctx.frame
    row = frame["_row"].to_numpy() if "_row" in frame else np.arange(1, n + 1)
    blank = pd.Series([""] * n, dtype=object)
    name, email = _name_email(ctx, who)
    phone = ctx.text(who.phone).astype(str).str.strip() if who.phone else blank
    ids = ctx.text(who.id).astype(str).str.strip() if who.id else blank
    missing = (ids == "").to_numpy()
    if missing.any():
        ids = ids.copy()
        ids[missing] = np.array(_fallback_ids(ctx, rubric, email, missing), dtype=object)
    return pd.DataFrame({"id": ids.to_numpy(dtype=object), "row": row,
                         "line": frame["_line"].to_numpy() if "_line" in frame else row,
                         "name": name.to_numpy(dtype=object), "email": email.to_numpy(dtype=object),
                         "phone": phone.to_numpy(dtype=object)})


def _fallback_ids(ctx: _Context, rubric: Rubric, email: pd.Series, missing: np.ndarray) -> list[str]:
    """Rows without a form id get one from their content, so it stays the same from one export to
    the next whatever the row order: the email and submission time, else every answer."""
    import hashlib

    submitted = ctx.text(rubric.applicant.submitted_at) if rubric.applicant.submitted_at else None
    data_cols = [c for c in ctx.frame.columns if not str(c).startswith("_")]
    out, seen = [], ctx.fallback_seen
    for pos in np.flatnonzero(missing):
        mail = str(email.iloc[pos]).casefold()
        if mail:
            basis = mail + "|" + (str(submitted.iloc[pos]) if submitted is not None else "")
        else:
            basis = "\x1f".join(str(ctx.frame[c].iloc[pos]) for c in data_cols)
        key = "h-" + hashlib.sha256(basis.encode("utf-8")).hexdigest()[:10]
        seen[key] = seen.get(key, 0) + 1
        out.append(key if seen[key] == 1 else f"{key}-{seen[key]}")
    return out


def rank_order(table: pd.DataFrame) -> np.ndarray:
    """Bucket (pass, unknown, fail), then score (high first), then the applicant id: ties are
    broken by id, never by row order, so shuffling an export does not change the ranking."""
    bucket_order = table["bucket"].map({b: i for i, b in enumerate(BUCKETS)}).to_numpy()
    ids = table["id"].astype(str)
    numeric = pd.to_numeric(ids, errors="coerce").to_numpy(dtype=float)
    id_num = np.where(np.isnan(numeric), np.inf, numeric)
    # np.lexsort sorts by the last key first.
    return np.lexsort((ids.to_numpy(dtype=str), id_num, -table["score"].to_numpy(), bucket_order))


def _top_reasons(outcomes: list[Outcome], points: np.ndarray, top: int = 3) -> np.ndarray:
    n = points.shape[1] if points.ndim == 2 else 0
    reasons = _strings(n)
    if not outcomes or n == 0:
        return reasons
    labels = np.array([o.criterion.label for o in outcomes], dtype=object)
    # Stable descending order of points per applicant; earlier criteria win ties.
    order = np.argsort(-points, axis=0, kind="stable")
    shown: dict[tuple[int, float], str] = {}  # (criterion, points) -> "Label +4.0": few of them repeat
    for k in range(min(top, len(outcomes))):
        which = order[k]
        got = points[which, np.arange(n)]
        rows = np.flatnonzero(got > 0)
        piece = np.empty(n, dtype=object)
        piece[rows] = [shown.get(pair) or shown.setdefault(pair, f"{labels[pair[0]]} +{pair[1]:.1f}")
                       for pair in zip(which[rows].tolist(), got[rows].tolist(), strict=True)]
        reasons = _append(reasons, piece, got > 0)
    return reasons


def _late(ctx: _Context, rubric: Rubric) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per row: late (yes, no, unknown; "" without a deadline), the submission time in UTC, and
    why late is unknown."""
    n = ctx.n
    field_name = rubric.applicant.submitted_at
    if field_name is None or ctx.column(field_name) is None:
        no_column = "no submission time column" if rubric.deadline else ""
        return _strings(n, "unknown" if rubric.deadline else ""), _strings(n), _strings(n, no_column)
    raw = ctx.text(field_name)
    header = ctx.mapping[field_name].column
    # Day or month first: decided over the whole export (a piece is told), never per value.
    order = ctx.date_order
    if order is None:
        stated = rubric.deadline.day_first if rubric.deadline else None
        order = providers.date_order(header, normalize.slash_evidence(raw), stated)
    # Times without a zone are read in the zone providers.naive_zone decides from the column's
    # header, --export-timezone and the rubric; only surprises (a zone given but overruled by
    # the header, day-first dates, unreadable values) are worth a note.
    zone = providers.naive_zone(header, rubric.deadline, rubric.zone_override)
    parsed = normalize.parse_datetime(raw, naive_tz=zone.zone, dayfirst=order.day_first)
    when = parsed.value
    if zone.overruled:
        ctx.notes.append(zone.overruled)
    ctx.notes.extend(f"{field_name}: {note}" for note in order.notes)
    ctx.notes.extend(f"{field_name}: {note}" for note in parsed.notes if "had no time zone" not in note)
    either = parsed.ambiguous
    if either.any():
        first = str(raw.to_numpy(dtype=object)[np.flatnonzero(either)[0]]).strip()
        ctx.notes.append(f"{field_name}: {int(either.sum())} date(s) in '{escape.visible(str(header))}' read as "
                         f"two different days (such as '{escape.visible(first, limit=40)}') and no value or "
                         f"setting says whether the day or the month comes first; late is 'unknown' for them "
                         f"(not guessed). {_DAY_FIRST_FIX}")
    unread = np.flatnonzero(when.isna().to_numpy() & (raw.astype(str).str.strip() != "").to_numpy() & ~either)
    if unread.size:
        lines = ctx.frame["_line"].to_numpy()[unread] if "_line" in ctx.frame else unread + 1
        shown = ", ".join(str(v) for v in lines[:10]) + (" …" if unread.size > 10 else "")
        ctx.notes.append(f"{unread.size} {field_name} value(s) could not be read as a date (lines {shown}); "
                         "late is 'unknown' for them")
    submitted = when.dt.strftime("%Y-%m-%dT%H:%M:%SZ").fillna("").to_numpy(dtype=object)
    if rubric.deadline is None:
        return _strings(n), submitted, _strings(n)
    # The deadline names a minute ("11:59 PM"); the whole of that minute is on time.
    cutoff = pd.Timestamp(rubric.deadline.at + timedelta(minutes=1)).tz_convert("UTC")
    missing = when.isna().to_numpy()
    late = np.where(missing, "unknown", np.where(when >= cutoff, "yes", "no"))
    blank = (raw.astype(str).str.strip() == "").to_numpy()
    note = parsed.note.astype(str).to_numpy(dtype=object)
    why = np.where(missing & blank, "no submission time",
                   np.where(missing, note, "")).astype(object)
    return late.astype(object), submitted, why


def _answers_text(ctx: _Context, rubric: Rubric) -> pd.Series:
    """The free text compared when looking for the same person applying twice."""
    fields = rubric.applicant.answers or tuple(
        c.fields[0] for c in rubric.criteria if isinstance(c.spec, QualitySpec))
    texts = [ctx.text(f) for f in fields if ctx.column(f) is not None]
    if not texts:
        return pd.Series([""] * ctx.n, dtype=object)
    joined = texts[0].astype(str)
    for more in texts[1:]:
        joined = joined + "\n" + more.astype(str)
    return joined
