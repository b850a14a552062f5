"""The certificates of a decision: one A4 landscape page per awardee, from a DOCX template.

The template is one page with placeholders ({{ name }}, {{ unit }}, …, see PLACEHOLDERS). The
shipped one is built here; the administrator may upload another (awards admin), which is
refused if it names a placeholder this module does not fill. To print, the template's body is
wrapped in a loop over the awardees with a page break between them, so whatever the template
holds (an emblem, a frame) is repeated on every page.
"""

from __future__ import annotations

import copy
import io

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt
from docxtpl import DocxTemplate
from jinja2 import TemplateError

from awards.documents.blocks import add_paragraph, new_document, nominee_line, to_bytes
from awards.models import CertificateTemplate, Decision, Nomination

PLACEHOLDERS = {
    "name": gettext_lazy("the awardee: a person's full name or a unit's name"),
    "unit": gettext_lazy("the awardee's position and unit"),
    "award": gettext_lazy("the award, e.g. Bằng khen của Bộ trưởng"),
    "achievement": gettext_lazy("the achievement line"),
    "year": gettext_lazy("the year of the achievement"),
    "decision_number": gettext_lazy("the decision's number"),
    "decision_date": gettext_lazy("the decision's date, dd/mm/yyyy"),
    "place_date": gettext_lazy("place and date, e.g. Hà Nội, ngày 05 tháng 12 năm 2026"),
    "issuer": gettext_lazy("who issues the decision"),
    "signer": gettext_lazy("who signed the decision"),
    "signer_title": gettext_lazy("the signer's title"),
}


def shipped_template() -> bytes:
    """The certificate the app ships: quốc hiệu, tiêu ngữ, the award and the awardee."""
    document = new_document(landscape=True)
    centre = WD_ALIGN_PARAGRAPH.CENTER
    add_paragraph(document, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", bold=True, align=centre)
    add_paragraph(document, "Độc lập - Tự do - Hạnh phúc", bold=True, align=centre)
    add_paragraph(document, "{{ issuer|upper }}", bold=True, align=centre, size=16)
    add_paragraph(document, "TẶNG", bold=True, align=centre, size=16)
    add_paragraph(document, "{{ award|upper }}", bold=True, align=centre, size=26)
    add_paragraph(document, "{{ name }}", bold=True, align=centre, size=22)
    add_paragraph(document, "{{ unit }}", italic=True, align=centre, size=14)
    add_paragraph(document, "Đã có thành tích: {{ achievement }}", align=centre, size=14)
    add_paragraph(
        document,
        "Quyết định số {{ decision_number }} ngày {{ decision_date }}",
        align=centre,
        size=13,
    )
    add_paragraph(document, "{{ place_date }}", italic=True, align=WD_ALIGN_PARAGRAPH.RIGHT)
    add_paragraph(document, "{{ signer_title|upper }}", bold=True, align=WD_ALIGN_PARAGRAPH.RIGHT)
    add_paragraph(document, "", align=WD_ALIGN_PARAGRAPH.RIGHT)
    add_paragraph(document, "{{ signer }}", bold=True, align=WD_ALIGN_PARAGRAPH.RIGHT)
    for paragraph in document.paragraphs:
        paragraph.paragraph_format.space_after = Pt(6)
    return to_bytes(document)


def template_problems(data: bytes) -> list[str]:
    """Why a DOCX cannot serve as the certificate template (empty when it can)."""
    try:
        template = DocxTemplate(io.BytesIO(data))
        names = template.get_undeclared_template_variables()
    except TemplateError as error:
        return [_("The template's placeholders are malformed: %(error)s") % {"error": error}]
    except Exception:
        return [_("This file is not a Word document (DOCX).")]
    unknown = sorted(names - set(PLACEHOLDERS))
    if unknown:
        return [
            _("Unknown placeholders: %(unknown)s. The template may use only: %(known)s.")
            % {
                "unknown": ", ".join(f"{{{{ {name} }}}}" for name in unknown),
                "known": ", ".join(f"{{{{ {name} }}}}" for name in PLACEHOLDERS),
            }
        ]
    return []


def current_template() -> bytes:
    stored = CertificateTemplate.objects.order_by("-uploaded_at", "-pk").first()
    if stored is None:
        return shipped_template()
    with stored.file.open("rb") as handle:
        return handle.read()


def certificate_context(decision: Decision, nomination: Nomination) -> dict[str, str]:
    name, where = nominee_line(nomination)
    day = decision.signed_on
    return {
        "name": name,
        "unit": where,
        "award": nomination.award_type.name,
        "achievement": _("outstanding achievements in the emulation movement of %(year)s")
        % {"year": nomination.year},
        "year": str(nomination.year),
        "decision_number": decision.number,
        "decision_date": f"{day:%d/%m/%Y}",
        "place_date": _("Hanoi, %(day)s %(month)s %(year)s")
        % {"day": f"{day:%d}", "month": f"{day:%m}", "year": f"{day:%Y}"},
        "issuer": decision.issuer,
        "signer": decision.signer,
        "signer_title": decision.signer_title or decision.issuer,
    }


def _tag_paragraph(text: str):
    paragraph = OxmlElement("w:p")
    run = OxmlElement("w:r")
    node = OxmlElement("w:t")
    node.text = text
    run.append(node)
    paragraph.append(run)
    return paragraph


def _page_break():
    paragraph = OxmlElement("w:p")
    run = OxmlElement("w:r")
    brk = OxmlElement("w:br")
    brk.set(qn("w:type"), "page")
    run.append(brk)
    paragraph.append(run)
    return paragraph


def certificates_document(decision: Decision, nominations: list[Nomination]) -> bytes:
    """One page per awardee, in the order of the decision's list."""
    template = DocxTemplate(io.BytesIO(current_template()))
    template.init_docx()
    body = template.docx.element.body
    section = body.find(qn("w:sectPr"))
    content = [child for child in body if child is not section]
    for child in content:
        body.remove(child)
    names = ", ".join(f"{key}=c.{key}" for key in PLACEHOLDERS)
    opening = [
        _tag_paragraph("{%p for c in certificates %}"),
        _tag_paragraph(f"{{%p with {names} %}}"),
    ]
    closing = [
        _tag_paragraph("{%p if not loop.last %}"),
        _page_break(),
        _tag_paragraph("{%p endif %}"),
        _tag_paragraph("{%p endwith %}"),
        _tag_paragraph("{%p endfor %}"),
    ]
    for element in [*opening, *(copy.deepcopy(c) for c in content), *closing]:
        if section is not None:
            section.addprevious(element)
        else:
            body.append(element)
    with translation.override("vi"):
        certificates = [certificate_context(decision, nomination) for nomination in nominations]
    template.render({"certificates": certificates}, autoescape=True)
    out = io.BytesIO()
    template.save(out)
    return out.getvalue()
