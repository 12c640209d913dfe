"""Fingerprints of a corpus of letters and reports, to show a change to the rendering left them alone
(standalone, never in tests).

    python bench/letter_fingerprints.py hash [--out DIR]     # sha256 of each PDF (invariant mode)
    python bench/letter_fingerprints.py compare DIR_A DIR_B  # pages as pixels and text, pdftoppm/pdftotext

``hash`` renders every letter template in each language mode (with and without a reference, c/o, a
signatory, a logo; short and long values), the bench's letters, a batch of several letters in one
PDF, and the conference and committee reports, in ReportLab's invariant mode (fixed dates and ids),
and prints one ``name sha256`` line each. Run it before and after a change and diff the output: the
same hashes mean the same bytes. Where a change alters bytes on purpose (compression, say), write the
PDFs with ``--out`` before and after and ``compare`` them: every page rasterised at 100 dpi must be the
same pixels and the extracted text the same.
"""

from __future__ import annotations

import argparse
import hashlib
import subprocess
import sys
import tempfile
from dataclasses import replace
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from reportlab import rl_config  # noqa: E402

from bench.bench_letters import COUNCIL, conference, letter_job  # noqa: E402
from reports import (  # noqa: E402
    BilingualText,
    CommitteeStats,
    LetterData,
    LetterJob,
    MeasureFigures,
    Recipient,
    Signatory,
    render_committee_report,
    render_conference_report,
    render_letters,
)
from reports.templates import template_ids, validate_templates  # noqa: E402

LONG_CY = "Mae'r teulu wedi gweithio'n galed gyda'r grŵp craidd, ac mae Gwenllïan yn mynd i'r ysgol. "
LONG_EN = "The family has worked hard with the core group, and Gwenllïan now goes to school every day. "


def _value(name: str, long: bool) -> BilingualText:
    if long:
        return BilingualText(cy=f"{name}: " + LONG_CY * 5 + "\n\n" + LONG_CY * 30,
                             en=f"{name}: " + LONG_EN * 5 + "\n\n" + LONG_EN * 30)
    return BilingualText(cy=f"{name} — Tŵr ŵ ŷ â & <b>", en=f"{name} — Tower & <i>")


def template_jobs() -> dict[str, LetterJob]:
    """Every template in each language mode, in a few shapes."""
    templates = validate_templates()
    out: dict[str, LetterJob] = {}
    for tid in template_ids():
        tpl = templates[tid]
        for shape in ("short", "long", "careof"):
            fields: dict = {}
            for name in sorted(tpl.data_fields):
                if name in tpl.list_fields:
                    fields[name] = [_value(f"{name} {n}", shape == "long" and n == 1) for n in range(3)]
                elif name.endswith("_date"):
                    fields[name] = date(2027, 1, 5)
                else:
                    fields[name] = _value(name, shape == "long")
            data = LetterData(
                recipient=Recipient("Gwenllïan Tŵr", ["1 Heol y Bryn", "Tregŵyr", "SA4 3AA"],
                                    care_of="Asiantaeth Ŵyn" if shape == "careof" else None),
                letter_date=date(2026, 11, 23),
                reference="" if shape == "careof" else "CP/2026/0042",
                fields=fields,
                signatory=Signatory("Siôn Bevan", BilingualText(cy="Gweithiwr", en="Worker"))
                if shape == "long" else None,
            )
            for lang in ("cy", "en", "bilingual"):
                out[f"{tid}.{shape}.{lang}"] = LetterJob(tid, lang, data)
    return out


def committee_stats() -> CommitteeStats:
    measure = MeasureFigures(
        rule_id="child.visit.statutory", population="children",
        title={"cy": "Ymweliadau statudol (10 diwrnod gwaith)", "en": "Statutory visits (10 working days)"},
        fell_due=20, carried=2, on_time=15, late=3, outstanding=2, ended=1)
    return CommitteeStats(date(2026, 4, 1), date(2026, 6, 30), measures=[measure], children_on_register=31,
                          registrations=7, deregistrations=5, days_on_register=[90, 200, 365, 400, 41],
                          open_cases=120, welsh_preference_cases=33)


def corpus(logo: Path) -> dict[str, bytes]:
    """name → PDF bytes, rendered now."""
    out: dict[str, bytes] = {}
    for name, job in template_jobs().items():
        out[name] = render_letters([job], COUNCIL)
    for i in range(12):
        out[f"bench.{i}"] = render_letters([letter_job(i)], COUNCIL)
    out["batch"] = render_letters([letter_job(i) for i in range(20, 26)], COUNCIL)
    with_logo = replace(COUNCIL, logo=logo)
    out["logo"] = render_letters([letter_job(99)], with_logo)
    out["conference"] = render_conference_report(conference(), COUNCIL)
    out["conference.en"] = render_conference_report(conference(6), COUNCIL, languages=("en",))
    for lang in ("cy", "en", "bilingual"):
        out[f"committee.{lang}"] = render_committee_report(committee_stats(), lang, COUNCIL)
    return out


def _logo() -> Path:
    """A small PNG at a fixed path (ReportLab names the image in the PDF after its file)."""
    from PIL import Image

    path = Path(tempfile.gettempdir()) / "diogel-fingerprint-logo.png"
    image = Image.new("RGB", (60, 40), (31, 78, 121))
    image.putpixel((5, 5), (255, 255, 255))
    image.save(path)
    return path


def hash_corpus(out_dir: Path | None) -> None:
    rl_config.invariant = 1
    pdfs = corpus(_logo())
    if out_dir is not None:
        out_dir.mkdir(parents=True, exist_ok=True)
    for name, pdf in pdfs.items():
        print(name, hashlib.sha256(pdf).hexdigest())
        if out_dir is not None:
            (out_dir / f"{name}.pdf").write_bytes(pdf)
    print(f"{len(pdfs)} documents", file=sys.stderr)


def _pages(pdf: Path, folder: Path) -> list[bytes]:
    folder.mkdir(parents=True, exist_ok=True)
    subprocess.run(["pdftoppm", "-r", "100", str(pdf), str(folder / "p")], check=True)
    return [p.read_bytes() for p in sorted(folder.glob("p*.ppm"))]


def _text(pdf: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True,
                          text=True).stdout


def compare(a: Path, b: Path) -> int:
    names = sorted(p.name for p in a.glob("*.pdf"))
    if names != sorted(p.name for p in b.glob("*.pdf")):
        print("the two folders hold different documents")
        return 1
    bad = 0
    with tempfile.TemporaryDirectory() as tmp:
        for name in names:
            pa, pb = _pages(a / name, Path(tmp) / "a" / name), _pages(b / name, Path(tmp) / "b" / name)
            same_text = _text(a / name) == _text(b / name)
            if pa != pb or not same_text or not pa:
                bad += 1
                print(f"{name}: pages {len(pa)}/{len(pb)} pixels {'same' if pa == pb else 'DIFFER'}, "
                      f"text {'same' if same_text else 'DIFFERS'}")
    print(f"{len(names)} documents compared, {bad} differ")
    return 1 if bad else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    h = sub.add_parser("hash")
    h.add_argument("--out", type=Path, default=None)
    c = sub.add_parser("compare")
    c.add_argument("a", type=Path)
    c.add_argument("b", type=Path)
    args = parser.parse_args(argv)
    if args.command == "hash":
        hash_corpus(args.out)
        return 0
    return compare(args.a, args.b)


if __name__ == "__main__":
    sys.exit(main())
