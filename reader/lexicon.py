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

A term written with a leading ``-`` is an exclusion: a match of the theme's
terms that lies wholly inside it does not count (``-منزوعة السلاح``: the
demilitarised zone is a place, not a weapon).

Left out on purpose: the adjective عسكري (military) and its plurals
عسكريين/عسكريون. The light stemmer cannot tell "military personnel" from
"military cooperation/aid" (both reduce to عسكر), and the adjective mostly
qualifies cooperation, aid and agreements, which are not troops.
"""

from __future__ import annotations

DEFAULT_TERMS: dict[str, tuple[str, ...]] = {
    "arms": (
        # weapons and munitions (broken plurals listed beside their singulars)
        "سلاح", "أسلحة", "تسلح", "تسليح", "ذخيرة", "ذخائر", "عتاد",
        "صاروخ", "صواريخ", "صاروخي", "قذيفة", "قذائف", "مدفعية", "مدفع", "مدافع",
        "قنبلة", "قنابل", "رأس حربي", "رؤوس حربية", "نووي", "باليستي", "فرط صوتي",
        "طائرة مسيرة", "طائرات مسيرة", "مسيرات", "درون", "دبابة", "دبابات", "غواصة", "غواصات",
        "ترسانة", "عيار", "منظومة دفاع جوي", "صفقة أسلحة", "صفقات أسلحة",
        # not arms: the demilitarised zone (a place, not a weapon)
        "-منزوعة السلاح", "-منزوع السلاح",
        # equipment, supply and technology transfer
        "معدات عسكرية", "معدات دفاعية", "إمدادات عسكرية", "مساعدات عسكرية", "مساعدة عسكرية",
        "دعم عسكري", "تكنولوجيا عسكرية", "تقنية عسكرية", "تصنيع عسكري",
        # English
        "weapon", "weapons", "arms", "munition", "munitions", "ammunition",
        "missile", "missiles", "artillery", "shell", "shells", "drone", "drones",
    ),
    "troops": (
        "جندي", "جنود", "قوات", "قوة عسكرية", "جيش", "جيوش", "كتيبة", "كتائب",
        "لواء", "مقاتل", "مقاتلين", "مقاتلون", "مرتزقة", "نشر قوات", "ضابط", "ضباط",
        "أفراد عسكريين", "القوات المسلحة",
        "مناورة", "مناورات", "تدريبات عسكرية", "تدريبات مشتركة", "تمارين عسكرية",
        "إطلاق نار حي", "انتشار عسكري", "وجود عسكري", "حشود عسكرية", "أنشطة عسكرية",
        "نشاط عسكري",
        "troops", "soldier", "soldiers", "forces", "army", "military personnel",
    ),
    "sanctions": (
        "عقوبة", "عقوبات", "حظر", "محظور", "تهرب", "حصار", "إجراءات عقابية",
        "قرار مجلس الأمن", "قرارات مجلس الأمن",
        "sanction", "sanctions", "embargo", "embargoes",
    ),
    "china": (
        "الصين", "صيني", "صينية", "بكين", "شي جين بينغ",
        "China", "Chinese", "Beijing", "Xi Jinping",
    ),
}  # fmt: skip
"""Theme key → terms (Arabic first, then English), as shipped."""
