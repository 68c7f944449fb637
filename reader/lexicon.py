"""Default lexicons: the terms that make a sentence a candidate for each theme.

Keys are the theme keys of the default theme file (arms, troops, sanctions,
china). ``reader.store.themes`` copies these into each ``Theme.terms``; users
override them per theme in ``annotations/themes.toml``.

How a term matches (:mod:`reader.suggest_match`): text and terms are folded
(alef forms, ى/ي, ة/ه, harakat, tatweel), clitics (و ف ب ل ك ال …) and regular
plural/dual endings are stripped, so ``صواريخ`` also finds ``والصواريخ``. A
term in its citation form also meets every form the lemma dictionary gives it
(``سلاح`` finds الأسلحة, ``حظر`` finds يحظر), when the dictionary is loaded; broken
plurals stay listed for the stemmer alone. Syntax:

* several words match those words in sequence (``رأس حربي``);
* ``*`` is a gap of up to three words (``توسع * عسكري`` finds التوسع الأميركي العسكري);
* ``=form`` matches that written form only, clitics allowed, no ending stripped
  (``=مسيرات`` is drones; مسيرة is also a march and مسيرته "his career");
* a leading ``?`` makes a *context term*: it fires only where its theme is
  established — a firm term of the theme in its sentence or in the two sentences
  before, or a ``+`` cue in its sentence — and no ``!`` off-sense marker of the
  theme is in its sentence. Two kinds of words are context terms: anaphoric nouns
  that take their theme from what came before (``?التجربة`` "the test" after a
  missile launch, ``?الإجراءات`` "the measures" after sanctions, ``?القتلى`` "the
  dead" after soldiers), and words with a common sense outside the theme (``?الصين``
  China the market, ``?صاروخ`` a space rocket, ``?قذيفة`` a football shot);
* a leading ``+`` is a *cue*: it never fires, it establishes the theme for context
  terms in its sentence (``+موقف`` "stance": China as an actor);
* a leading ``!`` is an *off-sense marker*: context terms of the theme do not fire in
  its sentence (``!مرمى`` "goal": a shot in a match report is a kick);
* a leading ``!!`` is a *blocking marker*: no term of the theme, firm ones included,
  fires in its sentence (``!!لجنة الانضباط``: a football federation's "sanctions");
* a leading ``-`` is an exclusion: a match of the theme's terms that lies wholly
  inside it does not count (``-منزوعة السلاح``: the demilitarised zone is a place);
* English terms match case-insensitively.

Every decision and its reason in Arabic news usage is in docs/SUGGEST.md
("Lexicons"), each with a test sentence in tests/test_suggest_lexicon.py.
"""

from __future__ import annotations

#: States and capitals at the heart of the news these themes are about, as cues.
_ACTORS = (
    "+=روسيا", "+موسكو", "+الكرملين", "+كوريا الشمالية", "+كوري شمالي", "+بيونغ يانغ",
    "+بيونغيانغ", "+كيم جونغ أون", "+بوتين", "+واشنطن", "+الولايات المتحدة", "+تايوان",
)  # fmt: skip

#: Asset freezes by verb (جمدت الحكومة أصول…): the dictionary does not lemmatise these forms.
_FREEZES = tuple(
    f"={verb} * {what}"
    for verb in ("جمد", "جمدت", "جمدوا", "يجمد", "تجمد")
    for what in ("أصول", "الأصول", "أموال", "الأموال", "أرصدة", "الأرصدة")
)

DEFAULT_TERMS: dict[str, tuple[str, ...]] = {
    "arms": (
        # weapons and munitions (broken plurals listed beside their singulars)
        "سلاح", "أسلحة", "تسلح", "تسليح", "ذخيرة", "ذخائر", "عتاد", "متفجرات", "مدفعية",
        "قنبلة", "قنابل", "رأس حربي", "رؤوس حربية", "رؤوس نووية", "نووي", "تخصيب",
        "يورانيوم", "باليستي", "فرط صوتي", "عابر للقارات", "صاروخ كروز", "صواريخ كروز",
        "هواسونغ", "كيه إن 23", "مسيرة شاهد", "مسيرات شاهد", "طائرات شاهد",
        "طراز شاهد", "شاهد 136",
        "صاروخ * إسكندر", "صواريخ * إسكندر", "أتاكمز", "ستورم شادو", "كينجال",
        "بانتسير", "جافلين", "ستينغر", "إس 300", "كيه إن 24", "أوريشنيك", "سارمات", "بندقية",
        "بنادق", "رشاش", "رشاشات", "عبوة ناسفة",
        "عبوات ناسفة", "لغم", "ألغام", "قمر * تجسس", "أقمار * تجسس", "قمر * عسكري",
        "أقمار * عسكرية",
        # missiles, shells, cannons, arsenals and drones also fly in space, sport, market
        # and delivery news: in context only
        "?صاروخ", "?صواريخ", "?صاروخي", "?قذيفة", "?قذائف", "?مدفع", "?مدافع", "?ترسانة",
        "?طائرة مسيرة", "?طائرات مسيرة", "?=مسيرات", "?=المسيرات", "?بدون طيار",
        "?دون طيار", "?درون",
        # weapon systems and military hardware
        "دبابة", "دبابات", "مدرعة", "مدرعات", "آليات عسكرية", "غواصة", "غواصات",
        "سفينة حربية", "سفن حربية", "بارجة", "فرقاطة", "حاملة طائرات",
        "طائرة حربية", "طائرات حربية", "طائرة مقاتلة", "طائرات مقاتلة", "=مقاتلات",
        "قاذفة", "قاذفات", "راجمة", "راجمات", "منصة إطلاق", "منصات إطلاق",
        "دفاع جوي", "دفاعات جوية", "منظومة صاروخية", "إف 16", "إف 35", "باتريوت",
        "هيمارس", "إس 400", "صفقة أسلحة", "صفقات أسلحة", "قوة نارية", "تفوق ناري",
        # equipment, supply, industry and technology transfer
        "معدات * عسكرية", "مكونات عسكرية", "معدات دفاعية", "إمدادات عسكرية",
        "مساعدات عسكرية", "مساعدة عسكرية", "دعم عسكري", "تكنولوجيا عسكرية",
        "تقنية عسكرية", "تقنيات عسكرية", "تصنيع عسكري", "صناعات عسكرية", "صناعات دفاعية",
        "إنتاج حربي", "صناعة حربية", "صناعات حربية", "مصانع حربية", "مصنع حربي",
        # what is said of weapons once they are named (the test, the launch, the shipments,
        # containers, stocks, systems, supplies, aid, technology, production): in context only
        "?تجربة", "?اختبار", "?إطلاق", "?=شحنة", "?=شحنات", "?=شحنته", "?=شحنتها",
        "?حاوية", "?حاويات", "?مخزون", "?مخزونات", "?منظومة", "?منظومات", "?إمدادات",
        "?=مساعدة", "?=مساعدات", "?=مساعدتها", "?=مساعداتها",
        "?تكنولوجيا", "?تكنولوجي", "?تقنية", "?تقنيات", "?إنتاج",
        # cues: launching, developing, ranges, attacks, war, armies, sending, smuggling
        "+أطلق", "+تطوير", "+برنامج", "+قدرات", "+مدى", "+متوسط المدى", "+قصير المدى",
        "+بعيد المدى", "+حرب", "+هجوم", "+هجمات", "+ضربة", "+قصف", "+انتحاري", "+عسكري",
        "+جيش", "+دفاع", "+اعتراض", "+حساس", "+تهريب", "+إرسال", "+أرسل", "+تزويد", "+زود",
        "+تسليم", "+جندي", "+ملايين", "+مليون", "+آلاف", "-على مدى", "-على المدى",
        # off sense: space flight, football, parcels and crop spraying, the stock market
        "!الفضاء", "!فضائي", "!إطلاق * قمر اصطناعي", "!إطلاق * أقمار اصطناعية", "!مرمى", "!شباك",
        "!تسديدة", "!ركلة", "!مباراة", "!الجماهير",
        "!توصيل", "!طرود", "!مبيدات", "!البورصة", "!سوق الأسهم", "!أسواق المال",
        # off sense: drug smuggling, vaccines and disease, club football
        "!مخدر", "!مخدرات", "!حشيش", "!كوكايين", "!هيروين", "!كبتاغون", "!لقاح", "!لقاحات",
        "!مرض", "!وباء", "!الدوري", "!البطولة", "!نادي", "!لاعب", "!لاعبين",
        # off sense: disaster relief and search and rescue
        "!كارثة", "!زلزال", "!فيضان", "!فيضانات", "!إغاثة", "!منكوبين", "!إنقاذ", "!طارئة",
        "!ناجين", "!الأنقاض", "!=للبحث",
        # not arms at all: club football, civilian nuclear construction, the school
        "!!مباراة", "!!=الدوري", "!!=والدوري", "!!روساتوم", "!!الضبعة", "!!التلاميذ",
        "!!تلميذ", "!!المدرسة", "!!المدارس",
        # not arms: places, branches of the forces, epithets, civilian nuclear power,
        # idioms, live fire in exercises, "an arsenal of" anything, combat experience,
        # supply chains, humanitarian aid, tech companies
        "-منزوعة السلاح", "-منزوع السلاح", "-سلاح الجو", "-سلاح البحرية", "-سلاح الهندسة",
        "-سلاح المهندسين", "-سلاح الإشارة", "-سلاح ذو حدين", "-سلاح ذا حدين", "-سلاح ذي حدين",
        "-السلاح الأنجع", "-السلاح الأمضى", "-قوة نووية", "-قوى نووية",
        "-القوتين النوويتين", "-طاقة نووية", "-محطة * نووية", "-محطات * نووية",
        "-قنبلة موقوتة", "-=كالصاروخ", "-وقود للمدافع", "-وقود المدافع", "-قذيفة أرضية",
        "-ذخيرة حية", "-ترسانة * من", "-شركات * تكنولوجيا", "-شركة * تكنولوجيا",
        "-تصمت المدافع", "-صمت المدافع", "-صمتت المدافع", "-سكتت المدافع", "-تسكت المدافع",
        "-إسكات المدافع", "-مساعدة متبادلة", "-تجربة قتالية", "-سلاسل الإمداد", "-سلسلة الإمداد",
        "-مساعدات إنسانية", "-مساعدة إنسانية", "-تقنية المعلومات", "-شركات تقنية",
        "-شركة تقنية", "-نزع الألغام", "-إزالة الألغام", "-نزع * ألغام", "-منظومة دفع",
        "-منظومات دفع", "-منظومة * مالية", "-منظومة * مصرفية", "-منظومة * صحية",
        "-منظومة * تعليمية", "-مساعدة عسكرية فور", "-مساعدة عسكرية * إذا", "-إطلاق سراح",
        # English
        "weapon", "weapons", "arms", "munition", "munitions", "ammunition",
        "missile", "missiles", "artillery", "drone", "drones",
    ),
    "troops": (
        "جندي", "جنود", "قوات", "قوة عسكرية", "جيش", "جيوش", "كتيبة", "كتائب",
        "مقاتل", "مقاتلين", "مقاتلون", "=مسلحين", "=مسلحون", "ميليشيا", "ميليشيات",
        "مرتزقة", "ضابط", "ضباط", "أفراد عسكريين", "=العسكريين", "=العسكريون", "=عسكريين",
        "=عسكريون", "ألف عسكري", "القوات المسلحة", "سلاح الجو", "سلاح البحرية", "سلاح الهندسة",
        "سلاح المهندسين", "سلاح الإشارة", "مشاة البحرية", "الحرس الثوري", "وحدات * عسكرية",
        "وحدة * عسكرية", "دورية عسكرية", "دوريات عسكرية", "وقود للمدافع", "وقود المدافع",
        "مناورة", "مناورات", "تدريبات عسكرية", "تدريبات مشتركة", "تمارين عسكرية",
        "تمرين عسكري", "تدريبات * بحرية", "تدريبات * جوية", "إطلاق نار حي", "تدخل عسكري",
        "هجوم بري", "عملية برية",
        "عمليات برية", "توغل بري", "اجتياح بري", "قتال إلى جانب", "قوات برية", "مجند",
        "مجندين", "مجندون", "تجنيد", "فيلق", "ثكنة", "ثكنات", "فوج",
        "ساحة المعركة", "ساحات المعارك", "ساحة القتال",
        # the front: where troops are
        "خط التماس", "خطوط التماس", "خط المواجهة", "خطوط المواجهة", "خط الجبهة",
        "خطوط الجبهة", "خطوط أمامية", "جبهة القتال", "جبهات القتال",
        # posture: presence, build-up, expansion, bases
        "انتشار عسكري", "وجود عسكري", "تواجد عسكري", "حشود عسكرية", "حشد عسكري",
        "تعزيزات عسكرية", "أنشطة عسكرية", "نشاط عسكري", "توسع * عسكري", "قاعدة عسكرية",
        "قواعد عسكرية",
        # what is said of soldiers once they are named (their units, dead, wounded,
        # captives, losses, battles, activities, crews): in context only
        "?وحدة", "?وحدات", "?قتيل", "?قتلى", "?جريح", "?جرحى", "?أسير", "?=أسرى",
        "?=الأسرى", "?خسائر", "?إصابات", "?معركة", "?معارك", "?اشتباك", "?اشتباكات",
        "?قتال", "?أنشطة", "?طواقم", "?=عناصر", "?=العناصر", "?انسحاب", "?تعبئة",
        # not troops: fighter jets, manoeuvrability and room for manoeuvre, police and
        # security forces, figurative armies and battalions, export controls (ضوابط, a
        # plural of ضابط), an officer quoted as a source, analysts and officials, trade,
        # hitting targets
        "-=مقاتلات", "-طائرة مقاتلة", "-طائرات مقاتلة", "-هامش المناورة", "-هامش مناورة",
        "-مساحة المناورة", "-مناورة سياسية", "-مناورات سياسية", "-قادر على المناورة",
        "-قدرة على المناورة", "-قوات الأمن", "-قوات أمنية", "-قوات الشرطة", "-قوى الأمن",
        "-الجيش الأبيض", "-جيش من", "-كتيبة من", "-جيش إلكتروني", "-=ضوابط", "-عن ضابط",
        "-عن ضباط", "-مسؤولين عسكريين", "-محللين عسكريين", "-خبراء عسكريين",
        "-مراقبين عسكريين", "-=مصادر عسكرية", "-أنشطة تجارية", "-أنشطة اقتصادية",
        "-إصابة أهداف", "-الجيش الملكي", "-نادي الجيش", "-فريق الجيش", "-=أفواج",
        "-فوج من", "-فوج سياحي", "-=كالجنود", "-=كالجندي",
        "-كتائب * إلكتروني", "-كتيبة * إلكتروني", "-جيش * إلكتروني", "-ذباب إلكتروني",
        # off sense of the dead and wounded: civilians hit by strikes
        "!أشخاص", "!مدنيين", "!مدنيا", "!مبنى سكني",
        # not troops: soldiers of films and series
        "!!فيلم", "!!مسلسل", "!!سينمائي", "!!رواية تاريخية", "!!روائي",
        "troops", "soldier", "soldiers", "forces", "army", "military personnel",
    ),
    "sanctions": (
        # the plural only: the singular عقوبة is mostly a court's penalty
        "=عقوبات", "=عقوباتها", "=عقوباته", "=عقوباتهم",
        # the UN's own word for sanctions
        "=جزاءات", "=جزاءاتها", "=جزاءاته", "قيود مصرفية",
        # the EU's "restrictive measures", the oil price cap, cutting banks off SWIFT
        "إجراءات تقييدية", "تدابير تقييدية", "سقف * سعر", "سقف * أسعار", "سويفت", "إجراءات عقابية",
        "تدابير عقابية",
        "حزمة * قيود", "حزمة * تدابير", "إجراءات قسرية", "تدابير قسرية",
        # the UN's DPRK sanctions committee and resolutions, named by number
        "لجنة 1718", "القرار 1718", "القرار 2087", "القرار 2094", "القرار 2270", "القرار 2321",
        "القرار 2371", "القرار 2375", "القرار 2397",
        "حصار اقتصادي", "سلع * محظورة", "بضائع * محظورة", "صفقة * محظورة", "صفقات * محظورة",
        "شحنة * محظورة", "شحنات * محظورة", "تجارة * محظورة", "معاملات * محظورة",
        "تحويلات * محظورة", "خناق * مالي", "قيود * غربية", "قيود * أمريكية",
        "قيود * أميركية", "قيود * أوروبية", "قيود * دولية", "أدرج * قائمة", "إدراج * قائمة",
        "أدرج * لائحة", "إدراج * لائحة", "لجنة * خبراء * الأمم المتحدة",
        "فريق * خبراء * الأمم المتحدة", "لجنة الخبراء الأممية", "فريق الخبراء الأممي",
        "تجميد * أصول", "تجميد * أموال",
        "تجميد * أرصدة", *_FREEZES, "أصول * مجمدة", "أموال * مجمدة", "قائمة سوداء", "لائحة سوداء",
        "مكتب مراقبة الأصول الأجنبية", "قيود * تصدير * إلى", "حظر * أسلحة", "حظر السفر",
        "حظر سفر", "حظر * دخول", "حظر * أممي", "حظر دولي", "حظر نفطي", "حظر تجاري",
        # evasion: the shadow fleet, ship-to-ship transfers, getting round the restrictions
        "أسطول الظل", "أسطول * شبح", "أسطول سري", "تحايل * قيود", "تحايل * حظر",
        "من سفينة إلى أخرى", "من سفينة إلى سفينة", "التفاف * قرارات",
        "التفاف * قيود", "التفاف * حظر",
        # a ban, a prohibition, export controls: a state's own ban protects its market, the
        # law prohibits many things; a sanctions ban is the UN's: in context only
        "?حظر", "?منع", "?قيود * تصدير", "?قيود * صادرات", "?ضوابط * تصدير",
        # what is said of sanctions once they are named (the measures, the list, the panel
        # that monitors them, violations, tightening the noose, resolutions): in context only
        "?إجراءات", "?تدابير", "?=القائمة", "?=قائمة", "?=قائمته", "?=قائمتها", "?=لائحة",
        "?فريق الخبراء", "?لجنة الخبراء", "?انتهاك", "?انتهك", "?خرق", "?خروقات",
        "?تشديد الخناق", "?خناق", "?=القيود", "?=اللوائح", "?=لوائح", "?=المدرجين",
        "?=المدرجة", "?=المدرجون", "?=المستهدفين", "?=المستهدفة", "?مصادرة", "?ناقلة",
        "?ناقلات", "?أجهزة التتبع", "?محظور", "?شركات وهمية", "?شركة وهمية",
        "?شركات واجهة", "?شركة واجهة",
        # the panel's mandate and the veto that ended it, punishing, blockade, compliance
        "?تمديد ولاية", "?الفيتو", "?حق النقض", "?معاقبة", "?حصار", "?الامتثال",
        "?قرارات مجلس الأمن", "?قرار مجلس الأمن", "?التزام دولي",
        # the panel's or the monitoring team's report, its mandate, the vote and the
        # abstention, the resolutions, the annual cap, the Treasury's licences and waivers
        "?تقرير الخبراء", "?تقارير الخبراء", "?تقرير * فريق", "?رفض * التقرير",
        "?=رفضت * التقرير", "?نفت * التقرير", "?تفويض", "?فريق الرصد", "?آلية مراقبة",
        "?امتنع * التصويت", "?=امتنعت * التصويت", "?ملزم * القرارات", "?سقف",
        "?ترخيص", "?تراخيص", "?إعفاء", "?استثناء",
        # cues: the UN and the Security Council, evasion
        "+مجلس الأمن", "+الأمم المتحدة", "+أممي", "+الخزانة الأمريكية",
        "+الخزانة الأميركية", "+وزارة الخزانة", "+تهرب", "+التفاف", "+تحايل",
        "?قيود * مفروضة",
        # not sanctions: penalties of courts, the penal code, alternative sentences,
        # discipline, curfews, gag orders, smoking bans, no-fly zones, the US National
        # Security Council (not the UN's)
        "-عقوبات * سجن", "-عقوبات * حبس", "-جزاءات * سجن", "-جزاءات تأديبية", "-قانون العقوبات",
        "-عقوبات بديلة",
        "-عقوبات سالبة للحرية", "-عقوبات تأديبية", "-حظر * تجول", "-حظر * تجوال",
        "-حظر النشر", "-حظر * طيران", "-حظر التدخين", "-مجلس الأمن القومي",
        "-عقوبات * المحكمة", "-عقوبات * القاضي",
        # not sanctions: a sports federation's penalties on clubs and players
        "!!لجنة الانضباط", "!!كرة القدم", "!!مباراة", "!!نادي", "!!لاعب", "!!لاعبين",
        # not sanctions: a court's penalties on the convicted; a school's rules
        "!!المدانين", "!!التلاميذ", "!!تلميذ", "!!المدرسة", "!!المدارس",
        "sanction", "sanctions", "embargo", "embargoes",
    ),
    "china": (
        # China's state as an actor: its capital as metonym, leaders, ministries, envoys
        "بكين", "بيجين", "بيجينغ", "شي جين بينغ", "شي جينبينغ", "وانغ يي",
        "الرئيس الصيني", "الحكومة الصينية", "الخارجية الصينية", "المندوب الصيني",
        "السفير الصيني", "القيادة الصينية", "العاصمة الصينية", "الحزب الشيوعي الصيني",
        "الجيش الصيني", "جيش التحرير الشعبي", "الرئيس شي", "الزعيم الصيني", "?نظيره الصيني",
        "الجانب الصيني", "المسؤولين الصينيين", "جمهورية الصين الشعبية", "المتحدث * الصيني",
        "التنين الصيني", "الموقف الصيني", "المبعوث الصيني", "الدبلوماسية الصينية",
        "الوساطة الصينية", "وزير الخارجية الصيني", "وزير الدفاع الصيني", "وزير التجارة الصيني",
        "ماو نينغ", "لين جيان", "لي تشيانغ", "تشانغ جون",
        "فو تسونغ", "قوه جيا كون", "السلطات الصينية", "السفارة الصينية", "البحرية الصينية",
        "خفر السواحل الصيني", "وزارة الخارجية الصينية", "وزارة الدفاع الصينية",
        "وزارة التجارة الصينية", "فرق الإنقاذ الصينية", "فريق الإنقاذ الصيني",
        "فريق إنقاذ صيني", "فرق إنقاذ صينية", "شركات * صينية حكومية",
        "شركة * صينية حكومية", "الشركات الحكومية الصينية", "?القادة الثلاثة",
        "?الصورة الثلاثية", "?القمة الثلاثية", "?المحور الثلاثي", "?التحالف الثلاثي",
        "?=شي", "?التنين", "?العملاق الآسيوي", "?=الصينيون", "?=الصينيين",
        # the bare name is also a place, a market, a factory, a team, a cuisine: only where
        # China is an actor (its stance, reaction, relations, alliances, vote, veto)
        "?الصين", "?صيني",
        "+موقف", "+رد", "+قلق", "+انزعاج", "+علاقات", "+علاقة", "+شراكة", "+شريك",
        "+تحالف", "+حليف", "+حلفاء", "+محور", "+مثلث", "+جبهة", "+تعاون", "+تنسيق",
        "+نفوذ", "+وساطة", "+دبلوماسي", "+استراتيجي", "+مصالح", "+ضغط", "+تصويت",
        "+حق النقض", "+فيتو", "+مجلس الأمن", "+=عقوبات", "+معاهدة", "+اتفاقية", "+تعارض",
        "+معارضة", "+رفض", "+ترفض", "+دعت", "+تدعو", "+اتهم", "+حذر", "+أدان", "+ندد",
        "+محادثات", "+مباحثات", "+قمة", "+تتابع", "+عن كثب", "+مشتري", *_ACTORS,
        "-مجلس الأمن القومي",
        # not China as an actor: a correspondent's location; Chinese firms, brands and
        # goods (China as origin)
        "-من بكين الزميل", "-من بكين الزميلة", "-مراسل * بكين", "-مراسلة * بكين",
        "-مراسلنا في بكين", "-بكين * رويترز", "-بكين * شينخوا", "-بكين * فرانس برس",
        "-مدن في الصين", "-مدن * صينية", "-مدينة * صينية", "-شركة * صينية", "-شركات * صينية",
        "-سيارة * صينية",
        "-سيارات * صينية", "-علامة * صينية", "-علامات * صينية", "-منتج * صيني",
        "-منتجات * صينية", "-مصنع * صيني",
        "-مصانع * صينية", "-نموذج * صيني", "-تطبيق * صيني", "-صنع في الصين",
        "!منتخب", "!=الدوري", "!سينما", "!فيلم",
        "China", "Chinese", "Beijing", "Xi Jinping",
    ),
}  # fmt: skip
"""Theme key → terms (Arabic first, then English), as shipped."""
