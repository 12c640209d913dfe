"""Letters: real PDFs rendered and read back with pypdf."""

from __future__ import annotations

import io
import json
import shutil
from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader

from reports import (
    BilingualText,
    CouncilIdentity,
    LetterData,
    LetterError,
    LetterJob,
    MissingAddressError,
    Recipient,
    TemplateValidationError,
    household_language,
    letter_language,
    render_letter,
    render_letters,
    validate_templates,
)
from reports.fonts import WELSH_LETTERS, missing_glyphs
from reports.templates import TEMPLATE_DIR, check_common, check_template, load_template, template_ids

EXAMPLE = Path(__file__).resolve().parent.parent / "reports" / "council.example.json"
STANDARD_14 = {
    "Courier",
    "Helvetica",
    "Times-Roman",
    "Symbol",
    "ZapfDingbats",
}
EXPECTED_IDS = {
    "n1_coordinator_change_agency",
    "n1_coordinator_change_family",
    "n2_lead_practitioner_change_agency",
    "n2_lead_practitioner_change_adult",
    "n2_lead_practitioner_change_family",
    "n3_escalation_no_coordinator",
    "n4_escalation_no_lead_practitioner",
    "n5_register_custodian",
    "n17_closure_agency",
    "n17_closure_adult",
    "n6_core_group_update",
    "n13_denied_access",
    "n8_icpc_invitation",
    "n8_icpc_invitation_agency",
    "n9_outline_plan",
    "n11_review_invitation",
    "n12_deregistration",
    "n16_outcome_report_adult",
    "n19_plan_adult",
    "n19_plan_family",
}


@pytest.fixture(scope="module")
def council() -> CouncilIdentity:
    return CouncilIdentity.from_json(EXAMPLE)


def sample_fields(template_id: str) -> dict:
    """A value for every placeholder the template needs: dates for *_date/*_dob, lists for lists."""
    tpl = load_template(template_id)
    out: dict = {}
    for name in tpl.data_fields:
        if name in tpl.list_fields:
            out[name] = [BilingualText(cy=f"Eitem {name} un", en=f"Item {name} one"), "Eleri Owen"]
        elif name.endswith("_date") or name.endswith("_dob"):
            out[name] = date(2026, 12, 3)
        else:
            out[name] = f"«{name}»"
    out["child_name"] = "Dafydd ap Llŷr"
    return out


def letter(template_id: str = "n19_plan_family", **fields) -> LetterData:
    values = sample_fields(template_id)
    values.update(fields)
    return LetterData(
        recipient=Recipient("Gwenllïan Tŵr", ["1 Heol y Bryn", "Tregŵyr", "SA4 3AA"]),
        letter_date=date(2026, 11, 23),
        fields=values,
        reference="CP/2026/0042",
    )


def pages_text(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]


def test_names_with_welsh_letters_read_back_exactly(council):
    pdf = render_letter("n19_plan_family", "cy", letter(), council)
    text = "\n".join(pages_text(pdf))
    assert "Gwenllïan Tŵr" in text
    assert "Dafydd ap Llŷr" in text
    assert pdf.startswith(b"%PDF")


def test_welsh_letter_has_welsh_page_footer_and_date(council):
    text = "\n".join(
        pages_text(
            render_letter(
                "n1_coordinator_change_family", "cy", letter("n1_coordinator_change_family"), council
            )
        )
    )
    assert "Tudalen 1 o" in text
    assert "23 Tachwedd 2026" in text
    assert "Annwyl Gwenllïan Tŵr," in text
    assert "Page 1 of" not in text
    assert "Yn gywir," in text


def test_english_letter_has_english_page_footer_and_date(council):
    text = "\n".join(
        pages_text(
            render_letter(
                "n1_coordinator_change_family", "en", letter("n1_coordinator_change_family"), council
            )
        )
    )
    assert "Page 1 of" in text
    assert "23 November 2026" in text
    assert "3 December 2026" in text  # a date placeholder, formatted per language
    assert "Tudalen" not in text


def test_bilingual_is_complete_welsh_letter_then_english(council):
    pages = pages_text(
        render_letter("n8_icpc_invitation", "bilingual", letter("n8_icpc_invitation"), council)
    )
    welsh = [i for i, t in enumerate(pages) if "Tudalen" in t]
    english = [i for i, t in enumerate(pages) if "Page " in t]
    assert welsh and english
    assert max(welsh) < min(english), "every Welsh page comes before every English page"
    assert set(welsh) | set(english) == set(range(len(pages)))
    whole = "\n".join(pages)
    assert whole.index("Gwahoddiad i gynhadledd amddiffyn plant gychwynnol") < whole.index(
        "Invitation to an initial child protection conference"
    )
    # each language part is numbered on its own
    assert f"Tudalen {len(welsh)} o {len(welsh)}" in pages[max(welsh)]
    assert f"Page 1 of {len(english)}" in pages[min(english)]
    # the signature and contact details appear on both versions (Standard 6)
    assert whole.count("Siân Llywelyn") == 2


def test_standard7_statement_in_both_languages_on_every_letter_part(council):
    for lang in ("cy", "en"):
        text = " ".join(
            " ".join(
                pages_text(
                    render_letter("n5_register_custodian", lang, letter("n5_register_custodian"), council)
                )
            ).split()
        )
        assert "Mae croeso i chi ohebu â ni yn Gymraeg" in text
        assert "We welcome correspondence in Welsh" in text
        assert "will not lead to delay" in text


@pytest.mark.parametrize("template_id", sorted(EXPECTED_IDS))
def test_every_template_renders_bilingual(council, template_id):
    pdf = render_letter(template_id, "bilingual", letter(template_id), council)
    text = "\n".join(pages_text(pdf))
    assert "Tudalen 1 o" in text and "Page 1 of" in text
    assert "Eitem" in text or not load_template(template_id).list_fields
    assert "{" not in text and "}" not in text, "no unfilled placeholder"


def test_every_template_validates():
    templates = validate_templates()
    assert set(templates) == EXPECTED_IDS == set(template_ids())
    for tpl in templates.values():
        assert tpl.data_fields, tpl.id
        welsh = json.dumps(tpl.sides["cy"], ensure_ascii=False)
        assert "Annwyl" in welsh


def test_glossary_terms_used():
    all_cy = " ".join(json.dumps(t.sides["cy"], ensure_ascii=False) for t in validate_templates().values())
    for term in (
        "cynllun amddiffyn, gofal a chymorth",
        "gynhadledd amddiffyn plant gychwynnol",  # soft-mutated after "i" / "yn y", as Welsh requires
        "grŵp craidd",
        "ceidwad y gofrestr",
        "ymarferydd arweiniol",
        "cydlynydd arweiniol",
    ):
        assert term in all_cy, term


def test_broken_pair_fails_validation(tmp_path):
    raw = json.loads((TEMPLATE_DIR / "n8_icpc_invitation.json").read_text(encoding="utf-8"))
    raw["en"]["subject"] = "Invitation: {child_full_name}"
    problems = check_template(raw, "n8_icpc_invitation")
    assert any("child_full_name" in p and "English" in p for p in problems)

    raw_missing = json.loads((TEMPLATE_DIR / "n1_coordinator_change_agency.json").read_text(encoding="utf-8"))
    del raw_missing["cy"]
    assert any(p.startswith("cy") for p in check_template(raw_missing))

    folder = tmp_path / "templates"
    folder.mkdir()
    shutil.copy(TEMPLATE_DIR / "n5_register_custodian.json", folder)
    (folder / "n8_icpc_invitation.json").write_text(json.dumps(raw, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(TemplateValidationError) as info:
        validate_templates(folder)
    assert any("n8_icpc_invitation" in p for p in info.value.problems)
    assert not any("n5_register_custodian" in p for p in info.value.problems)


def test_common_strings_validate(tmp_path):
    assert check_common(TEMPLATE_DIR / "_common.json") == []
    raw = json.loads((TEMPLATE_DIR / "_common.json").read_text(encoding="utf-8"))
    raw["page"]["cy"] = "Tudalen {page}"
    del raw["standard7"]["en"]
    (tmp_path / "_common.json").write_text(json.dumps(raw, ensure_ascii=False), encoding="utf-8")
    problems = check_common(tmp_path / "_common.json")
    assert any(p.startswith("page.cy") for p in problems) and any(p.startswith("standard7") for p in problems)


def test_list_on_one_side_only_fails_validation():
    raw = json.loads((TEMPLATE_DIR / "n12_deregistration.json").read_text(encoding="utf-8"))
    raw["en"]["body"] = [b for b in raw["en"]["body"] if b != {"list": "reasons"}]
    assert any("reasons" in p for p in check_template(raw))


def test_long_text_flows_onto_further_pages(council):
    paragraphs = [
        f"Paragraff {i}: " + "Mae'r teulu wedi gweithio'n galed gyda'r grŵp craidd. " * 12 for i in range(30)
    ]
    rationale = "\n\n".join(paragraphs) + "\n\nY PARAGRAFF OLAF ŵŷ."
    pdf = render_letter("n19_plan_family", "cy", letter(rationale=rationale), council)
    pages = pages_text(pdf)
    assert len(pages) >= 2
    whole = "\n".join(pages)
    assert "Y PARAGRAFF OLAF ŵŷ." in whole
    assert "Paragraff 29:" in whole
    assert f"Tudalen {len(pages)} o {len(pages)}" in pages[-1]


def test_long_table_value_is_not_cut_off(council):
    change = "Mae partner newydd wedi symud i'r cartref. " * 150 + "DIWEDD Y DISGRIFIAD"
    pdf = render_letter(
        "n5_register_custodian", "en", letter("n5_register_custodian", change_description=change), council
    )
    pages = pages_text(pdf)
    assert len(pages) >= 2
    assert "DIWEDD Y DISGRIFIAD" in "\n".join(pages)


def test_missing_address_raises_distinct_error(council):
    data = letter()
    data.recipient.address = ["  "]
    with pytest.raises(MissingAddressError) as info:
        render_letter("n19_plan_family", "bilingual", data, council)
    assert info.value.field == "address"
    assert "Gwenllïan Tŵr" in info.value.message("en")


def test_missing_placeholder_raises(council):
    data = letter()
    del data.fields["next_review_date"]
    with pytest.raises(LetterError) as info:
        render_letter("n19_plan_family", "en", data, council)
    assert not isinstance(info.value, MissingAddressError)
    assert info.value.field == "next_review_date"
    assert "next_review_date" in info.value.message("en")
    assert info.value.msgid.startswith("The letter {template} needs a value")


def test_missing_welsh_side_of_a_value_raises_and_english_still_renders(council):
    data = letter(rationale=BilingualText(cy=None, en="Concerns about neglect."))
    with pytest.raises(LetterError) as info:
        render_letter("n19_plan_family", "bilingual", data, council)
    assert info.value.field == "rationale"
    assert "Welsh" in info.value.message("en")
    assert b"%PDF" in render_letter("n19_plan_family", "en", data, council)


def test_empty_list_and_unknown_template_and_language_raise(council):
    with pytest.raises(LetterError, match="needs a value for outcomes") as info:
        render_letter("n19_plan_family", "cy", letter(outcomes=[]), council)
    assert info.value.field == "outcomes"
    with pytest.raises(LetterError, match="no letter template called n99_nothing"):
        render_letter("n99_nothing", "cy", letter(), council)
    with pytest.raises(LetterError, match="Unknown letter language fr"):
        render_letter("n19_plan_family", "fr", letter(), council)


def test_values_are_not_markup(council):
    pdf = render_letter("n19_plan_family", "en", letter(rationale="A <b>bold</b> & risky <value>"), council)
    assert "A <b>bold</b> & risky <value>" in "\n".join(pages_text(pdf))


def test_letter_language_from_preference():
    assert letter_language("cy") == "cy"
    assert letter_language("en") == "en"
    assert letter_language(" CY ") == "cy"
    assert letter_language(None) == "bilingual"
    assert letter_language("") == "bilingual"
    assert letter_language("unknown") == "bilingual"
    assert letter_language("en", circular=True) == "bilingual"
    assert letter_language("cy", circular=True) == "cy"


def test_household_language():
    assert household_language(["cy", "cy"]) == "cy"
    assert household_language(["en", "en"]) == "en"
    assert household_language(["cy", "en"]) == "bilingual"
    assert household_language(["en", None]) == "bilingual"


def test_batch_numbers_each_letter_part_separately(council):
    jobs = [
        LetterJob("n1_coordinator_change_agency", "bilingual", letter("n1_coordinator_change_agency"))
        for _ in range(3)
    ]
    pages = pages_text(render_letters(jobs, council))
    assert sum("Tudalen 1 o" in t for t in pages) == 3
    assert sum("Page 1 of" in t for t in pages) == 3


def test_batch_with_one_bad_letter_produces_nothing(council):
    bad = letter("n1_coordinator_change_agency")
    bad.recipient.address = []
    jobs = [
        LetterJob("n1_coordinator_change_agency", "cy", letter("n1_coordinator_change_agency")),
        LetterJob("n1_coordinator_change_agency", "cy", bad),
    ]
    with pytest.raises(MissingAddressError):
        render_letters(jobs, council)


def test_only_bundled_fonts_are_embedded(council):
    reader = PdfReader(
        io.BytesIO(render_letter("n9_outline_plan", "bilingual", letter("n9_outline_plan"), council))
    )
    names = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            names.add(str(font.get_object()["/BaseFont"]))
    assert names
    assert not {n for n in names if n.lstrip("/").split("-")[0] in STANDARD_14}
    assert all("DejaVuSans" in n for n in names), names


def test_bundled_font_has_every_welsh_letter():
    assert missing_glyphs(WELSH_LETTERS) == set()
    assert missing_glyphs(WELSH_LETTERS, "Diogel-Bold") == set()


def test_council_from_json(tmp_path):
    c = CouncilIdentity.from_json(EXAMPLE)
    assert c.name_cy == "Cyngor Sir Enghraifft" and c.name_en == "Example County Council"
    assert c.logo is None
    assert c.signatory_title("cy") and c.complaints_phone


def test_logo_from_council_json_is_drawn(tmp_path):
    from PIL import Image

    Image.new("RGB", (120, 80), (31, 78, 121)).save(tmp_path / "logo.png")
    raw = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    raw["logo"] = "logo.png"
    (tmp_path / "council.json").write_text(json.dumps(raw, ensure_ascii=False), encoding="utf-8")
    council = CouncilIdentity.from_json(tmp_path / "council.json")
    assert council.logo == tmp_path / "logo.png"
    reader = PdfReader(
        io.BytesIO(
            render_letter("n5_register_custodian", "bilingual", letter("n5_register_custodian"), council)
        )
    )
    first_pages = [
        p for p in reader.pages if "Tudalen 1 o" in p.extract_text() or "Page 1 of" in p.extract_text()
    ]
    assert len(first_pages) == 2
    for page in first_pages:
        xobjects = page["/Resources"].get("/XObject", {})
        assert any(x.get_object()["/Subtype"] == "/Image" for x in xobjects.values())


def test_salutation_name_differs_from_addressee(council):
    data = letter("n5_register_custodian")
    data.recipient.name = "Ceidwad y Gofrestr Amddiffyn Plant"
    data.recipient.salutation_name = "Mr Rhys Bevan"
    text = "\n".join(pages_text(render_letter("n5_register_custodian", "cy", data, council)))
    assert "Annwyl Mr Rhys Bevan," in text
    assert "Ceidwad y Gofrestr Amddiffyn Plant" in text


def _filler_field(template_id: str) -> str | None:
    """A free-text placeholder in the body of the letter (a paragraph or a table row), not a list."""
    tpl = load_template(template_id)
    for block in tpl.sides["en"]["body"]:
        texts = [block] if isinstance(block, str) else [
            cell for row in block.get("table", []) for cell in row] + list(block.get("items", []))
        for text in texts:
            for name in sorted(tpl.data_fields - tpl.list_fields):
                if "{" + name + "}" in text and not name.endswith(("_date", "_dob")):
                    return name
    return None


def _filler_list(template_id: str) -> str | None:
    tpl = load_template(template_id)
    return min(tpl.list_fields) if tpl.list_fields else None


@pytest.mark.parametrize("lang", ["cy", "en"])
@pytest.mark.parametrize("template_id", sorted(EXPECTED_IDS))
def test_closing_is_never_alone_on_the_last_page(council, template_id: str, lang: str):
    """Long text pushes the end of the letter across every position of a page boundary: the page
    that holds the closing ("Yn gywir," / "Yours sincerely,") always holds body text before it,
    never only the sign-off and the Standard 7 statement (read back from the PDF)."""
    closing = {"cy": "Yn gywir,", "en": "Yours sincerely,"}[lang]
    text_field, list_field = _filler_field(template_id), _filler_list(template_id)
    assert text_field or list_field, template_id
    pages_seen: set[int] = set()
    for lines in range(20, 56, 5):  # steps of 5 lines, narrower than the closing block: no position is missed
        if text_field:
            fields = {text_field: "\n\n".join(f"Llinell {i} o destun hir / long text line {i}." for i in range(lines))}
        else:
            fields = {list_field: [f"Eitem {i} / item {i}" for i in range(lines)]}
        pages = pages_text(render_letter(template_id, lang, letter(template_id, **fields), council))
        pages_seen.add(len(pages))
        last = next(i for i, t in enumerate(pages) if closing in t)
        assert last == len(pages) - 1
        before = pages[last].split(closing)[0].splitlines()
        body = before[2:] if last else before  # a later page starts with the running head (council, name)
        assert [line for line in body if line.strip()], (template_id, lang, lines, pages[last][:200])
    assert len(pages_seen) > 1  # the sweep did cross a page boundary
