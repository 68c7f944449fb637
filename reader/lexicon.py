"""Default lexicons: the terms that make a sentence a candidate for each theme.

Keys are the theme keys of the default theme file (arms, troops, sanctions,
china). ``reader.store.themes`` copies these into each ``Theme.terms``; users
override them per theme in ``annotations/themes.toml``.

How a term matches (:class:`reader.suggest.Lexicon`): text and terms are folded
(alef forms, ى/ي, ة/ه, harakat, tatweel), clitics (و ف ب ل ك ال …) and regular
plural/dual endings are stripped, so ``صواريخ`` also finds ``والصواريخ``. A
term in its citation form also meets every form the lemma dictionary gives it
(``سلاح`` finds الأسلحة, ``حظر`` finds حظرت), when the dictionary is loaded; broken
plurals stay listed for the stemmer alone. Syntax:

* several words match those words in sequence (``رأس حربي``);
* ``*`` is a gap of up to three words (``توسع * عسكري`` finds التوسع الأميركي العسكري);
* ``=form`` matches that written form only, clitics allowed, no ending stripped
  (``=مسيرات`` is drones; مسيرة is also a march and مسيرته "his career");
* a leading ``-`` is an exclusion: a match of the theme's terms that lies wholly
  inside it does not count (``-منزوعة السلاح``: the demilitarised zone is a place);
* English terms match case-insensitively.

Left out on purpose, with the reason (docs/SUGGEST.md has the whole list):
the adjective عسكري and its plurals (the stemmer cannot tell "military
personnel" from "military cooperation"); عيار (also the carat of gold prices);
bare لواء (also a general's rank and تحت لواء "under the banner of"); bare
محظور (also a banned group, doping substances); تهرب (also tax evasion); قرار
مجلس الأمن (most resolutions are not sanctions); English "shell(s)" (the company).
"""

from __future__ import annotations

DEFAULT_TERMS: dict[str, tuple[str, ...]] = {
    "arms": (
        # weapons and munitions (broken plurals listed beside their singulars)
        "سلاح", "أسلحة", "تسلح", "تسليح", "ذخيرة", "ذخائر", "عتاد", "متفجرات",
        "صاروخ", "صواريخ", "صاروخي", "قذيفة", "قذائف", "مدفعية", "مدفع", "مدافع",
        "قنبلة", "قنابل", "رأس حربي", "رؤوس حربية", "رؤوس نووية", "نووي", "تخصيب", "يورانيوم",
        "باليستي", "فرط صوتي", "بندقية", "بنادق", "رشاش", "رشاشات", "عبوة ناسفة", "عبوات ناسفة",
        "لغم", "ألغام",
        # weapon systems and military hardware
        "طائرة مسيرة", "طائرات مسيرة", "=مسيرات", "بدون طيار", "دون طيار", "درون",
        "دبابة", "دبابات", "مدرعة", "مدرعات", "آليات عسكرية", "غواصة", "غواصات",
        "سفينة حربية", "سفن حربية", "بارجة", "فرقاطة", "حاملة طائرات",
        "طائرة حربية", "طائرات حربية", "طائرة مقاتلة", "طائرات مقاتلة", "=مقاتلات",
        "قاذفة", "قاذفات", "راجمة", "راجمات", "منصة إطلاق", "منصات إطلاق",
        "دفاع جوي", "دفاعات جوية", "منظومة صاروخية", "ترسانة", "إف 16", "إف 35", "باتريوت",
        "هيمارس", "إس 400", "صفقة أسلحة", "صفقات أسلحة",
        # equipment, supply, industry and technology transfer
        "معدات عسكرية", "معدات دفاعية", "إمدادات عسكرية", "مساعدات عسكرية", "مساعدة عسكرية",
        "دعم عسكري", "تكنولوجيا عسكرية", "تقنية عسكرية", "تقنيات عسكرية", "تصنيع عسكري",
        "صناعات عسكرية", "صناعات دفاعية",
        # not arms: places, branches of the forces, epithets, civilian nuclear power, metaphors
        "-منزوعة السلاح", "-منزوع السلاح", "-سلاح الجو", "-سلاح البحرية", "-سلاح ذو حدين",
        "-قوة نووية", "-قوى نووية", "-القوتين النوويتين", "-طاقة نووية", "-محطة * نووية",
        "-محطات * نووية", "-قنبلة موقوتة",
        # English
        "weapon", "weapons", "arms", "munition", "munitions", "ammunition",
        "missile", "missiles", "artillery", "drone", "drones",
    ),
    "troops": (
        "جندي", "جنود", "قوات", "قوة عسكرية", "جيش", "جيوش", "كتيبة", "كتائب",
        "مقاتل", "مقاتلين", "مقاتلون", "=مسلحين", "=مسلحون", "ميليشيا", "ميليشيات",
        "مرتزقة", "ضابط", "ضباط", "أفراد عسكريين", "القوات المسلحة", "سلاح الجو",
        "سلاح البحرية", "مشاة البحرية", "الحرس الثوري", "وحدات عسكرية", "وحدة عسكرية",
        "مناورة", "مناورات", "تدريبات عسكرية", "تدريبات مشتركة", "تمارين عسكرية",
        "تمرين عسكري", "إطلاق نار حي", "تدخل عسكري", "هجوم بري", "عملية برية", "عمليات برية",
        "توغل بري", "اجتياح بري",
        # posture: presence, build-up, expansion, bases
        "انتشار عسكري", "وجود عسكري", "تواجد عسكري", "حشود عسكرية", "حشد عسكري",
        "تعزيزات عسكرية", "أنشطة عسكرية", "نشاط عسكري", "توسع * عسكري", "قاعدة عسكرية",
        "قواعد عسكرية",
        # not troops: fighter jets, room for manoeuvre, political manoeuvres
        "-=مقاتلات", "-طائرة مقاتلة", "-طائرات مقاتلة", "-هامش المناورة", "-هامش مناورة",
        "-مساحة المناورة", "-مناورة سياسية", "-مناورات سياسية",
        "troops", "soldier", "soldiers", "forces", "army", "military personnel",
    ),
    "sanctions": (
        # the plural only: the singular عقوبة is mostly a court's penalty; حظر as a noun only
        # (the verb يحظر is any prohibition)
        "=عقوبات", "=عقوباتها", "=عقوباته", "=عقوباتهم", "إجراءات عقابية", "تدابير عقابية",
        "=حظر", "=حظرا", "حصار اقتصادي",
        "سلع * محظورة", "بضائع * محظورة", "تجميد * أصول", "تجميد * أموال", "تجميد * أرصدة",
        "أصول * مجمدة", "أموال * مجمدة", "قائمة سوداء", "لائحة سوداء",
        "ضوابط * تصدير", "قيود * تصدير", "قيود * صادرات",
        "مكتب مراقبة الأصول الأجنبية",
        # not sanctions: penalties of courts and the penal code, curfews, other bans
        "-عقوبات * سجن", "-عقوبات * حبس", "-قانون العقوبات", "-حظر التجول", "-حظر تجول",
        "-حظر التجوال", "-حظر النشر", "-حظر * طيران", "-حظر التدخين",
        "sanction", "sanctions", "embargo", "embargoes",
    ),
    "china": (
        "الصين", "صيني", "صينية", "بكين", "بيجين", "بيجينغ", "شي جين بينغ", "شي جينبينغ",
        "وانغ يي",
        "China", "Chinese", "Beijing", "Xi Jinping",
    ),
}  # fmt: skip
"""Theme key → terms (Arabic first, then English), as shipped."""
