"""The message catalogue: interface text per language, and dates and numbers written the way
each language writes them (through Babel, from its locale's CLDR data).

A language is one `Catalogue` in CATALOGUES: its name, Babel locale, direction, messages and
vocabulary. Adding one adds an entry there and nothing else (tests/test_i18n.py proves it with
a pseudo-locale); data columns in it (`name_<code>`, `title_<code>`, ...) are used where present.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd
from babel.dates import format_date
from babel.numbers import format_decimal

from components.dates import parse_partial_date

TEXT: dict[str, tuple[str, str]] = {
    "title": ("Coalition Footprint in Iraq", "انتشار قوات التحالف في العراق"),
    "tagline": (
        "Where U.S. and coalition forces were, what changed, and who says so. Every figure cites its source.",
        "أين كانت القوات الأمريكية وقوات التحالف، وما الذي تغيّر، ومن يقول ذلك. لكل رقم مصدره.",
    ),
    "settings": ("Settings", "الإعدادات"),
    # Words Streamlit itself writes in English, replaced on Arabic pages (streamlit_dom.translated_chrome).
    "skip_to_content": ("Skip to main content", "تخطَّ إلى المحتوى الرئيسي"),
    "upload_button": ("Upload", "رفع ملف"),
    "upload_limit": ("{mb} MB per file • ZIP, XLSX", "حتى {mb} ميغابايت للملف • ZIP، XLSX"),
    "your_data": ("Your data", "بياناتك"),
    "upload_label": (
        "Load a dataset: a .zip of the CSV tables or an Excel workbook (one sheet per table)",
        "تحميل مجموعة بيانات: ملف zip لجداول CSV أو مصنف Excel (ورقة لكل جدول)",
    ),
    "using_upload": (
        "Showing your data ({name}), for this session only.",
        "تُعرض بياناتك ({name})، لهذه الجلسة فقط.",
    ),
    "back_to_bundled": ("Back to the bundled data", "العودة إلى البيانات المرفقة"),
    "template_zip": ("Template (.zip of CSV)", "قالب (zip لجداول CSV)"),
    "template_xlsx": ("Template (Excel)", "قالب (Excel)"),
    "bundled_zip": ("The bundled data (.zip)", "البيانات المرفقة (zip)"),
    "upload_refused": (
        "{name} was not loaded: {count} problem(s), listed below. The data shown is unchanged.",
        "لم يُحمَّل {name}: {count} مشكلة مذكورة أدناه. البيانات المعروضة لم تتغير.",
    ),
    "language": ("Language", "اللغة"),
    "briefing_mode": ("Briefing mode", "وضع العرض"),
    "online_tiles": (
        "Online map tiles (needs internet; off: country outlines only, nothing leaves this machine)",
        "خرائط أساس من الإنترنت (تحتاج اتصالاً؛ عند الإيقاف: حدود الدول فقط، ولا يخرج أي طلب من هذا الجهاز)",
    ),
    "date": ("Date", "التاريخ"),
    # Right to left, the earlier event's button stands on the right, so its arrow points right.
    "previous_event": ("◀ Previous event", "▶ الحدث السابق"),
    "next_event": ("Next event ▶", "الحدث التالي ◀"),
    # The strip under the date slider (components/slider_strip.py).
    "strip_summary": (
        "Where things happen between {first} and {last}: {phases} phases as bands, {events} events (upper ticks) and {changes} site status changes (lower ticks).",
        "أين تقع الأحداث بين {first} و{last}: {phases} مراحل في أشرطة، و{events} حدثاً (العلامات العليا) و{changes} تغييراً في وضع المواقع (العلامات السفلى).",
    ),
    "strip_planned": ("planned, not begun", "مخططة، لم تبدأ"),
    "strip_events": ("events", "أحداث"),
    "strip_changes": ("site changes", "تغيّر المواقع"),
    "jump_to_phase": ("Jump to a phase", "الانتقال إلى مرحلة"),
    "no_phase": ("no named phase", "خارج المراحل المسمّاة"),
    "data_as_of": ("Data as of {day}.", "البيانات حتى {day}."),
    "after_last_report": (
        "Data as of {day}. This date is later than the newest source: what is shown for it are plans and the last reports, not events.",
        "البيانات حتى {day}. هذا التاريخ لاحق لأحدث مصدر: ما يظهر له خطط وآخر التقارير، لا أحداث.",
    ),
    "sites_count": (
        "{count} sites on this date. Lines: relocations within {days} days of it. Basemap: Natural Earth; city names: GeoNames.",
        "{count} موقعاً في هذا التاريخ. الخطوط: عمليات نقل خلال {days} يوماً منه. الخريطة الأساس: Natural Earth؛ أسماء المدن: GeoNames.",
    ),
    "troops_over_time": ("Troop figures over time", "أعداد القوات عبر الزمن"),
    "log_scale": (
        "Log scale (so 2,500 reads next to 170,000)",
        "مقياس لوغاريتمي (ليُقرأ 2,500 بجانب 170,000)",
    ),
    "sites_on_date": ("Sites on this date", "المواقع في هذا التاريخ"),
    "events_near": ("Events near this date", "أحداث قريبة من هذا التاريخ"),
    "no_events": ("No event within {days} days.", "لا أحداث خلال {days} يوماً."),
    "site_detail": ("Site detail", "تفاصيل الموقع"),
    "choose_options": ("Choose", "اختر"),
    "choose_site": ("Choose a site, or click a marker", "اختر موقعاً، أو انقر على علامة في الخريطة"),
    "default_view": ("Showing the default view instead.", "يُعرض المنظر الافتراضي بدلاً من ذلك."),
    "no_phase_covers": ("No named phase covers this date.", "لا تغطي أي مرحلة مسمّاة هذا التاريخ."),
    "sources": ("Sources", "المصادر"),
    "sources_colon": ("Sources: {list}", "المصادر: {list}"),
    "figures_in_phase": (
        "Troop figures reported in this phase",
        "أعداد القوات المذكورة في هذه المرحلة",
    ),
    "no_figures_in_phase": (
        "No figures in the data for this phase.",
        "لا أعداد في البيانات لهذه المرحلة.",
    ),
    "figures_in_force": ("Troop figures in force on {day}", "أعداد القوات السارية في {day}"),
    "no_figure_reaches": (
        "No figure in the data reaches this date.",
        "لا يوجد رقم في البيانات يخص هذا التاريخ.",
    ),
    "status_history": (
        "Status history (faded: planned or disputed)",
        "سجل الحالة (الباهت: مخطط أو متنازع عليه)",
    ),
    "events": ("Events", "الأحداث"),
    "movements": ("Movements", "عمليات النقل"),
    "open_source": ("Open the source", "فتح المصدر"),
    "source_id": ("Id: {id} · accessed {day}", "المعرّف: {id} · تاريخ الاطلاع {day}"),
    "location_precision": ("location precision", "دقة الموقع"),
    "open": ("open", "مستمرة"),
    "undated": ("undated", "غير مؤرخ"),
    "export": ("Export this view", "تصدير هذا المنظر"),
    "export_csv": ("Sites (CSV)", "المواقع (CSV)"),
    "export_geojson": ("Sites (GeoJSON)", "المواقع (GeoJSON)"),
    "export_html": ("Map (offline HTML)", "الخريطة (HTML دون اتصال)"),
    "export_citations": ("Citations (text)", "قائمة المصادر (نص)"),
    "export_png": ("Save this map as PNG", "الخريطة صورةً (PNG)"),
    "export_troops_csv": ("Troop figures (CSV)", "أعداد القوات (CSV)"),
    "export_events_csv": ("Events (CSV)", "الأحداث (CSV)"),
    "export_tables_xlsx": ("Figures and events (Excel)", "الأعداد والأحداث (Excel)"),
    "deck_download": ("Download the briefing", "تنزيل العرض"),
    "deck_pptx": ("Slides (PowerPoint)", "الشرائح (PowerPoint)"),
    "deck_pdf": ("Slides (PDF)", "الشرائح (PDF)"),
    # Server-drawn map pictures and slides (components/map_image.py, components/deck.py).
    "legend_changed": ("Changed since the previous step", "تغيّر منذ الخطوة السابقة"),
    "scale_km": ("{km} km", "{km} كم"),
    "outlines_attribution": ("Country outlines: Natural Earth", "حدود الدول: Natural Earth"),
    "picture_sources": ("Sources: {list}", "المصادر: {list}"),
    "more_sources": ("and {count} more", "و{count} غيرها"),
    "deck_title_as_of": ("Data as of {day} (newest source)", "البيانات حتى {day} (أحدث مصدر)"),
    "deck_span": (
        "{count} steps, {first} to {last}",
        "{count} خطوات، من {first} إلى {last}",
    ),
    "deck_plan": (
        "PLAN: later than the newest source ({day})",
        "خطة: بعد تاريخ أحدث مصدر ({day})",
    ),
    "deck_sources_title": ("Sources ({part} of {parts})", "المصادر ({part} من {parts})"),
    "deck_cited": ("Sources: {list} (listed at the end)", "المصادر: {list} (مدرجة في النهاية)"),
    "deck_more": (
        "… and {count} more (see the speaker notes)",
        "… و{count} غيرها (انظر ملاحظات المتحدث)",
    ),
    "deck_more_passages": (
        "+ {count} more passages in the notes",
        "+ {count} مقاطع أخرى في الملاحظات",
    ),
    "deck_no_link": ("no link", "بلا رابط"),
    "export_title": ("Coalition footprint in Iraq: {day}", "انتشار قوات التحالف في العراق: {day}"),
    "export_summary": (
        "{phase}. Data as of {day}. {count} sites. Basemap: Natural Earth; city names: GeoNames.",
        "{phase}. البيانات حتى {day}. {count} موقعاً. الخريطة الأساس: Natural Earth؛ أسماء المدن: GeoNames.",
    ),
    "citations_on_screen": ("Citations for everything on screen", "مصادر كل ما يظهر على الشاشة"),
    "step": ("Step {n} of {total}", "الخطوة {n} من {total}"),
    "previous_step": ("Previous", "السابق"),
    "next_step": ("Next", "التالي"),
    "first_step": ("First", "الأولى"),
    "last_step": ("Last", "الأخيرة"),
    "play": ("Play", "تشغيل"),
    "pause": ("Pause", "إيقاف مؤقت"),
    "leave_briefing": ("Leave briefing", "الخروج من العرض"),
    "high_contrast": ("High contrast", "تباين عالٍ"),
    "slide_shows_plans": (
        "This slide is later than the newest source ({day}): it shows plans, not events.",
        "هذه الشريحة لاحقة لأحدث مصدر ({day}): تعرض خططاً لا أحداثاً.",
    ),
    "speed": ("Speed", "السرعة"),
    "speed_month": ("1 month per second", "شهر في الثانية"),
    "speed_quarter": ("3 months per second", "3 أشهر في الثانية"),
    "speed_year": ("1 year per second", "سنة في الثانية"),
    "what_changed": ("What changed since the previous step", "ما تغيّر منذ الخطوة السابقة"),
    "nothing_changed": ("No site changed status.", "لم تتغير حالة أي موقع."),
    "status_changed": ("{site}: {before} → {after}", "{site}: {before} ← {after}"),
    "new_site": ("{site}: now {after}", "{site}: الآن {after}"),
    "disputed_mark": ("disputed", "متنازع عليه"),
    "figure_changed": (
        "{force} ({scope}): {before} → {after}",
        "{force} ({scope}): {before} ← {after}",
    ),
    "map_cannot_draw": ("The map cannot be drawn: {problem}", "لا يمكن رسم الخريطة: {problem}"),
    "data_cannot_show": (
        "The data in {place} cannot be shown.",
        "لا يمكن عرض البيانات في {place}.",
    ),
    "after_last_report_source": (
        "Data as of {day}: the newest source is {source}. This date is later, so what is shown for it are plans and the last reports, not events.",
        "البيانات حتى {day}: أحدث مصدر هو {source}. هذا التاريخ لاحق له، فما يظهر خطط وآخر التقارير، لا أحداث.",
    ),
    "plan_differs": (
        "By the plan, this date was in {phase} ({span}).",
        "بحسب الخطة، كان هذا التاريخ ضمن {phase} ({span}).",
    ),
    "phase_as_happened": ("As it happened: {span}", "كما جرى فعلاً: {span}"),
    "phase_as_planned": ("As planned: {span}", "بحسب الخطة: {span}"),
    "phase_no_plan": ("No planned dates.", "لا مواعيد مخططة."),
    "phase_not_begun": ("not reported to have begun", "لم يُبلَّغ عن بدئها"),
    "phase_not_ended": ("no end reported yet", "لم يُبلَّغ عن نهايتها بعد"),
    "phase_planned_from": ("planned from {day}", "مخطط لها من {day}"),
    "dates_sources": ("Dates: {list}", "المواعيد: {list}"),
    "precision_year": ("year only", "السنة فقط"),
    "precision_month": ("month only", "الشهر فقط"),
    "col_role": ("Role", "الدور"),
    "col_last_reported": ("Last reported", "آخر تقرير"),
    "col_counts": ("Counts", "ما يُعدّ"),
    # Data that is valid but thin: no dated source, no phases for the briefing.
    "no_dated_source": (
        "No source in this data has a publication date, so it cannot say how recent it is.",
        "لا يحمل أي مصدر في هذه البيانات تاريخ نشر، فلا يمكن معرفة مدى حداثتها.",
    ),
    "no_briefing_steps": (
        "This data has no phases, so there are no briefing slides. Turn off briefing mode to "
        "explore it by date.",
        "لا تحتوي هذه البيانات على مراحل، فلا توجد شرائح عرض. أوقف وضع العرض لاستكشافها حسب التاريخ.",
    ),
    # A refused dataset's problems, bounded on the page (components/report.py).
    "problem_counts": ("**Problems by file and column**", "**المشكلات حسب الملف والعمود**"),
    "col_file": ("File", "الملف"),
    "col_column": ("Column", "العمود"),
    "col_problems": ("Problems", "المشكلات"),
    "first_problems": (
        "**The first {count} problems of each file**",
        "**أول {count} مشكلات في كل ملف**",
    ),
    "full_report": ("Download the full report", "تنزيل التقرير الكامل"),
    # The analyst's tools (components/tools_panel.py).
    "tools": ("Find, filter, compare", "بحث وتصفية ومقارنة"),
    "search_site": ("Find a site by any of its names", "ابحث عن موقع بأي من أسمائه"),
    "search_placeholder": (
        "e.g. Ain al-Asad, عين الأسد, Q-West",
        "مثلاً: عين الأسد، Ain al-Asad، Q-West",
    ),
    "search_found": ("Found: {list}", "النتائج: {list}"),
    "search_none": ("No site has that name.", "لا يوجد موقع بهذا الاسم."),
    "filter_status": ("Show statuses", "الحالات المعروضة"),
    "filter_certainty": ("Show certainties", "درجات اليقين المعروضة"),
    "filter_country": ("Show countries", "الدول المعروضة"),
    "filter_force": ("Show forces (nations)", "القوات المعروضة (الدول)"),
    "col_forces": ("Forces", "القوات"),
    "forces_not_stated": ("not stated", "غير مذكورة"),
    "filtered": (
        "Filtered: {count} of {total} sites shown (map, tables and exports).",
        "مُصفّى: يُعرض {count} من أصل {total} موقعاً (الخريطة والجداول والتصدير).",
    ),
    "compare_toggle": ("Compare with another date", "المقارنة بتاريخ آخر"),
    "compare_with": ("Second date", "التاريخ الثاني"),
    "compare_heading": ("What changed from {first} to {second}", "ما تغيّر من {first} إلى {second}"),
    "compare_preview": (
        "The first {shown} of {total} changes; the CSV below has them all.",
        "أول {shown} من {total} تغييراً؛ ملف CSV أدناه يضمها كلها.",
    ),
    "compare_nothing": ("Nothing changed between the two dates.", "لم يتغير شيء بين التاريخين."),
    "compare_csv": ("The changes (CSV)", "التغييرات (CSV)"),
    "col_change": ("Change", "التغيير"),
    "col_before": ("Before", "قبل"),
    "col_after": ("After", "بعد"),
    # Map legend and popups (sent to footprint-map.js).
    # Compare mode on the map: the legend's row and the changed sites' tooltips.
    "legend_compare_with": ("Compared with", "مقارنة مع"),
    "legend_changed_ring": ("changed (hover: before → after)", "تغيّر (مرّر المؤشر: قبل ← بعد)"),
    "legend_ghost": ("on the map only then", "على الخريطة في ذلك التاريخ فقط"),
    "not_on_map": ("not on the map", "ليس على الخريطة"),
    "change_arrow": ("→", "←"),
    "legend_status": ("Status:", "الحالة:"),
    "legend_outline": ("Outline:", "الإطار:"),
    "legend_movement": ("Movement", "نقل قوات"),
    "popup_since": ("since", "منذ"),
    "popup_link": ("link", "رابط"),
    "legend_name": ("Map legend", "مفتاح الخريطة"),
    "fullscreen": ("Full screen", "ملء الشاشة"),
    "exit_fullscreen": ("Leave full screen", "الخروج من ملء الشاشة"),
    "catalog_failed": ("The map's site list could not be loaded", "تعذّر تحميل قائمة مواقع الخريطة"),
    "outlines_failed": ("The map's outlines could not be loaded", "تعذّر تحميل حدود الخريطة"),
    # Table headers.
    "col_figure": ("Figure", "العدد"),
    "troops_axis": ("Troops", "عدد الجنود"),
    "troops_axis_log": ("Troops (log scale)", "عدد الجنود (مقياس لوغاريتمي)"),
    "col_range": ("Range", "النطاق"),
    "col_qualifier": ("Qualifier", "الدقة"),
    "col_force": ("Force", "القوة"),
    "col_scope": ("Scope", "النطاق الجغرافي"),
    "col_kind": ("Kind", "النوع"),
    "col_certainty": ("Certainty", "درجة اليقين"),
    "col_as_of": ("As of", "بتاريخ"),
    "col_source": ("Source", "المصدر"),
    "col_site": ("Site", "الموقع"),
    "col_status": ("Status", "الحالة"),
    "col_since": ("Since", "منذ"),
    "col_country": ("Country", "الدولة"),
    "col_id": ("Id", "المعرّف"),
    "col_date": ("Date", "التاريخ"),
    "col_event": ("Event", "الحدث"),
    "col_from": ("From", "من"),
    "col_to": ("To", "إلى"),
    "col_note": ("Note", "ملاحظة"),
    "col_now": ("Now", "الآن"),
    "col_what": ("What", "ماذا"),
}

VOCABULARY: dict[str, dict[str, tuple[str, str]]] = {
    "status": {
        "active": ("Active", "نشط"),
        "drawdown": ("Drawdown", "تقليص"),
        "handed_over": ("Handed over", "سُلّم"),
        "closed": ("Closed", "مغلق"),
    },
    "certainty": {
        "reported": ("Reported", "مُبلَّغ عنه"),
        "planned": ("Planned", "مخطط"),
        "disputed": ("Disputed", "متنازع عليه"),
        "approximate": ("Date approximate", "التاريخ تقريبي"),
        "unconfirmed": ("Unconfirmed", "غير مؤكد"),
    },
    "counts": {
        "presence": ("troops present", "قوات موجودة"),
        "transit": ("in transit (not a garrison)", "قوات متنقلة (ليست حامية)"),
        "ceiling": ("authorised ceiling", "سقف مأذون به"),
        "target": ("planned level", "مستوى مخطط"),
    },
    "force": {
        "us": ("U.S.", "القوات الأمريكية"),
        "coalition_other": ("Other coalition", "قوات التحالف الأخرى"),
        "coalition_total": ("Coalition total", "مجموع قوات التحالف"),
    },
    # Nations a source places at a site (site_status.forces); "not_stated" is the filter's choice
    # for periods whose sources name no nation.
    "nation": {
        "us": ("U.S.", "الولايات المتحدة"),
        "uk": ("U.K.", "المملكة المتحدة"),
        "australia": ("Australia", "أستراليا"),
        "canada": ("Canada", "كندا"),
        "croatia": ("Croatia", "كرواتيا"),
        "denmark": ("Denmark", "الدنمارك"),
        "france": ("France", "فرنسا"),
        "germany": ("Germany", "ألمانيا"),
        "hungary": ("Hungary", "المجر"),
        "italy": ("Italy", "إيطاليا"),
        "norway": ("Norway", "النرويج"),
        "portugal": ("Portugal", "البرتغال"),
        "spain": ("Spain", "إسبانيا"),
        "sweden": ("Sweden", "السويد"),
        "not_stated": ("Not stated", "غير مذكورة"),
    },
    "scope": {
        "iraq": ("Iraq", "العراق"),
        "federal_iraq": ("Federal Iraq", "العراق الاتحادي"),
        "kurdistan_region": ("Kurdistan Region", "إقليم كوردستان"),
        "site": ("One site", "موقع واحد"),
        "gulf_region": ("Gulf region (outside Iraq)", "منطقة الخليج (خارج العراق)"),
    },
    "kind": {
        "reported": ("reported", "مُبلَّغ عنه"),
        "planned": ("planned", "مخطط"),
        "air_base": ("air base", "قاعدة جوية"),
        "camp": ("camp", "معسكر"),
        "headquarters": ("headquarters", "مقر قيادة"),
        "airport": ("airport", "مطار"),
        "staging_area": ("staging area", "منطقة تجمع"),
        "country": ("country", "دولة"),
    },
    "event_kind": {
        "agreement": ("agreement", "اتفاق"),
        "announcement": ("announcement", "إعلان"),
        "talks": ("talks", "محادثات"),
        "attack": ("attack", "هجوم"),
        "handover": ("handover", "تسليم"),
        "convoy": ("convoy", "قافلة"),
        "deployment": ("deployment", "انتشار"),
        "withdrawal": ("withdrawal", "انسحاب"),
        "other": ("other", "غير ذلك"),
    },
    # Countries as the data names them (sites.csv's country column).
    "country": {
        "Iraq": ("Iraq", "العراق"),
        "Kuwait": ("Kuwait", "الكويت"),
        "Syria": ("Syria", "سوريا"),
        "Jordan": ("Jordan", "الأردن"),
        "Turkey": ("Turkey", "تركيا"),
        "Iran": ("Iran", "إيران"),
        "Saudi Arabia": ("Saudi Arabia", "السعودية"),
    },
    "qualifier": {
        "about": ("about", "نحو"),
        "at_most": ("at most", "على الأكثر"),
        "at_least": ("at least", "على الأقل"),
        "exact": ("exact", "بالضبط"),
    },
}


@dataclass(frozen=True)
class Catalogue:
    """One language of the interface."""

    name: str  # in the language itself, for the language menu
    locale: str  # Babel's locale for dates and numbers
    rtl: bool  # written right to left: the page, lists and citations follow it
    text: Mapping[str, str]  # by message key; a missing message falls back to English
    vocabulary: Mapping[str, Mapping[str, str]]  # by group, then by the data's value


def _column(position: int) -> tuple[dict[str, str], dict[str, dict[str, str]]]:
    """One language's messages and vocabulary from the (English, Arabic) pairs above."""
    text = {key: pair[position] for key, pair in TEXT.items() if pair[position]}
    vocabulary = {
        group: {value: pair[position] for value, pair in values.items()}
        for group, values in VOCABULARY.items()
    }
    return text, vocabulary


CATALOGUES: dict[str, Catalogue] = {
    "en": Catalogue("English", "en", False, *_column(0)),
    # Iraq's locale: months as Iraqi media write them (كانون الثاني ... أيلول), Latin digits.
    "ar": Catalogue("العربية", "ar_IQ", True, *_column(1)),
}
ENGLISH = "en"


def catalogue(lang: str) -> Catalogue:
    """The language's catalogue; English for a code that has none."""
    return CATALOGUES.get(lang) or CATALOGUES[ENGLISH]


def languages() -> dict[str, str]:
    """The languages offered, code to name, in the catalogue's order."""
    return {code: entry.name for code, entry in CATALOGUES.items()}


def is_rtl(lang: str) -> bool:
    """True when the language is written right to left (the page, lists and citations follow it)."""
    return catalogue(lang).rtl


def t(key: str, lang: str = "en", **values: object) -> str:
    """The text for `key` in `lang` (English when missing), with {placeholders} filled in."""
    template = catalogue(lang).text.get(key) or CATALOGUES[ENGLISH].text[key]
    return template.format(**values) if values else template


def term(group: str, value: str, lang: str = "en") -> str:
    """A controlled-vocabulary value (status, force, ...) in words; unknown values as they are."""
    words = catalogue(lang).vocabulary.get(group, {}).get(value)
    if words is None:
        words = CATALOGUES[ENGLISH].vocabulary.get(group, {}).get(value)
    return value if words is None else words


def in_language(
    frame: pd.DataFrame, column: str, lang: str, english: str | None = None
) -> pd.Series:
    """A text column in the language where the data has it (`<column>_<lang>`), else English
    (`english`, or the column itself)."""
    base = frame[english or column]
    translated = f"{column}_{lang}"
    if lang == ENGLISH or translated not in frame:
        return base
    values = frame[translated]
    return values.where(values.notna() & (values != ""), base)


def number_words(value: float, lang: str = "en") -> str:
    """A figure with the language's separators and Latin digits, as the sources print them: '2,500'."""
    return format_decimal(value, locale=catalogue(lang).locale, numbering_system="latn")


@functools.lru_cache(maxsize=65536)
def day_words(day: dt.date, lang: str = "en") -> str:
    """'27 September 2024' / '27 أيلول 2024' (made once per day and language: tables repeat them)."""
    return format_date(day, "d MMMM y", locale=catalogue(lang).locale)


@functools.lru_cache(maxsize=4096)
def short_day_words(day: dt.date, lang: str = "en") -> str:
    """'1 Jan 2003', as the date slider writes its dates (Arabic months have no short form)."""
    return format_date(day, "d MMM y", locale=catalogue(lang).locale)


@functools.lru_cache(maxsize=4096)
def month_words(day: dt.date, lang: str = "en") -> str:
    """'September 2024' / 'أيلول 2024'."""
    return format_date(day, "MMMM y", locale=catalogue(lang).locale)


@functools.lru_cache(maxsize=65536)
def precise_date_words(text: str, lang: str = "en") -> str:
    """A partial date in words that says its precision when coarse: '2014 (year only)'."""
    if not text:
        return ""
    precision = parse_partial_date(text).precision
    words = partial_date_words(text, lang)
    if precision in ("year", "month"):
        return f"{words} ({t('precision_' + precision, lang)})"
    return words


@functools.lru_cache(maxsize=65536)
def partial_date_words(text: str, lang: str = "en") -> str:
    """A YYYY / YYYY-MM / YYYY-MM-DD date in words, at its own precision."""
    if not text:
        return ""
    parsed = parse_partial_date(text)
    if parsed.precision == "year":
        return str(parsed.first.year)
    if parsed.precision == "month":
        return month_words(parsed.first, lang)
    return day_words(parsed.first, lang)


def map_labels(lang: str = "en") -> dict[str, object]:
    """The words footprint-map.js shows in the legend and popups."""
    return {
        "status": {key: term("status", key, lang) for key in VOCABULARY["status"]},
        "certainty": {key: term("certainty", key, lang) for key in VOCABULARY["certainty"]},
        "legendStatus": t("legend_status", lang),
        "legendOutline": t("legend_outline", lang),
        "legendMovement": t("legend_movement", lang),
        "since": t("popup_since", lang),
        "link": t("popup_link", lang),
        "legendName": t("legend_name", lang),
        "fullscreen": t("fullscreen", lang),
        "exitFullscreen": t("exit_fullscreen", lang),
        "catalogFailed": t("catalog_failed", lang),
        "outlinesFailed": t("outlines_failed", lang),
        "compareWith": t("legend_compare_with", lang),
        "changedRing": t("legend_changed_ring", lang),
        "ghost": t("legend_ghost", lang),
        "notOnMap": t("not_on_map", lang),
        "arrow": t("change_arrow", lang),
        "lang": lang,
    }
