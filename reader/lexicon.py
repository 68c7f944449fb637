"""Default lexicons: the terms that make a sentence a candidate for each theme.

Keys are the theme keys of the default theme file (arms, troops, sanctions,
china). ``reader.store.themes`` copies these into each ``Theme.terms``; users
override them per theme in ``annotations/themes.toml``.

Terms are matched by :mod:`reader.suggest` on the normalised form of the text
(:func:`reader.arabic.normalise_word`): alef forms, ى/ي, ة/ه, harakat and
tatweel are folded, and clitics (و ف ب ل ك ال …) and regular plural/dual
endings are stripped, so ``صواريخ`` also finds ``والصواريخ``. Broken plurals
are *not* guessed: both صاروخ and صواريخ are listed. A term of several words
matches those words in sequence. English terms match case-insensitively.
"""

from __future__ import annotations

DEFAULT_TERMS: dict[str, tuple[str, ...]] = {
    "arms": (
        # weapons and munitions
        "سلاح", "أسلحة", "تسلح", "تسليح", "ذخيرة", "ذخائر", "عتاد",
        "صاروخ", "صواريخ", "صاروخي", "قذيفة", "قذائف", "مدفعية", "مدفع", "مدافع",
        "قنبلة", "قنابل", "رأس حربي", "رؤوس حربية", "نووي", "باليستي",
        "مسيرة", "مسيرات", "طائرة مسيرة", "درون", "دبابة", "دبابات",
        "معدات عسكرية", "تكنولوجيا عسكرية", "تقنية عسكرية", "منظومة", "منظومات",
        "صفقة أسلحة", "صفقات أسلحة", "ترسانة", "قمر اصطناعي", "أقمار اصطناعية",
        "فرط صوتي", "عيار",
        # English
        "weapon", "weapons", "arms", "munition", "munitions", "ammunition",
        "missile", "missiles", "artillery", "shell", "shells", "drone", "drones",
    ),
    "troops": (
        "جندي", "جنود", "قوات", "قوة عسكرية", "عسكري", "عسكريين", "عسكريون",
        "جيش", "جيوش", "كتيبة", "كتائب", "لواء", "فرقة", "مقاتل", "مقاتلين", "مقاتلون",
        "مرتزقة", "نشر قوات", "انتشار", "ضابط", "ضباط", "عناصر", "حشد",
        "troops", "soldier", "soldiers", "forces", "army", "military personnel",
    ),
    "sanctions": (
        "عقوبة", "عقوبات", "حظر", "حصار", "تهرب", "التفاف", "قيود", "إجراءات عقابية",
        "قرارات مجلس الأمن", "عزلة",
        "sanction", "sanctions", "embargo", "embargoes",
    ),
    "china": (
        "الصين", "صين", "صيني", "صينية", "بكين", "شي جين بينغ", "جين بينغ",
        "China", "Chinese", "Beijing", "Xi Jinping",
    ),
}  # fmt: skip
"""Theme key → terms (Arabic first, then English), as shipped."""
