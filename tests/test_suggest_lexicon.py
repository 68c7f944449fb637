"""Context terms, cues, off-sense markers, and the shipped lexicon's decisions.

Every sentence here is written for the test (news wording, not taken from any gold
set); each decision of reader/lexicon.py has one that fails if it is undone.
"""

from __future__ import annotations

import sys
from collections.abc import Mapping
from pathlib import Path

import pytest

from reader.corpus import split_sentences
from reader.lemmas import Lemmatizer
from reader.lemmas import load as load_lemmas
from reader.lexicon import DEFAULT_TERMS
from reader.suggest import Lexicon, suggest_text

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def lemmas() -> Lemmatizer:
    return load_lemmas()


def per_sentence(
    text: str, terms: Mapping[str, tuple[str, ...]], lemmas: Lemmatizer | None = None
) -> list[dict[str, tuple[str, ...]]]:
    """Theme → fired terms, for each sentence of ``text`` (one paragraph) in order."""
    spans = split_sentences(text)
    found = {s.start: s for s in suggest_text(text, spans, Lexicon(terms, lemmas))}
    return [dict(found[sp.start].terms) if sp.start in found else {} for sp in spans]


# --- the mechanism, on toy terms -----------------------------------------------------

ARMS = {"arms": ("صاروخ باليستي", "?التجربة", "?الإطلاق")}


def test_a_context_term_fires_only_after_its_theme_is_named() -> None:
    assert per_sentence("أجرت الشركة التجربة.", ARMS) == [{}]
    assert per_sentence("أطلقت صاروخا باليستيا. ودانت الدول التجربة.", ARMS) == [
        {"arms": ("صاروخ باليستي",)},
        {"arms": ("?التجربة",)},
    ]


def test_the_theme_reaches_two_sentences_ahead_not_three() -> None:
    text = "أطلقت صاروخا باليستيا. وقال الوزير كلاما. وقال النائب كلاما. وانتقد الجميع التجربة."
    assert per_sentence(text, ARMS)[-1] == {}
    text = "أطلقت صاروخا باليستيا. وقال الوزير كلاما. وانتقد الجميع التجربة."
    assert per_sentence(text, ARMS)[-1] == {"arms": ("?التجربة",)}


def test_a_context_term_fired_by_the_window_does_not_carry_the_theme_further() -> None:
    text = "أطلقت صاروخا باليستيا. ودانت الدول التجربة. وقال الوزير كلاما. ثم تحدث عن الإطلاق."
    assert per_sentence(text, ARMS)[-1] == {}


def test_a_cue_or_a_second_context_term_establishes_the_theme() -> None:
    terms = {"china": ("?الصين", "+موقف"), "arms": ("?صاروخ", "?تجربة")}
    assert per_sentence("ارتفع الطلب في الصين.", terms) == [{}]
    assert per_sentence("أعلنت الصين موقفها.", terms) == [{"china": ("?الصين",)}]
    assert per_sentence("نجحت تجربة الصاروخ.", terms) == [{"arms": ("?تجربة", "?صاروخ")}]


def test_an_off_sense_marker_silences_context_terms_not_firm_ones() -> None:
    terms = {"arms": ("?قذيفة", "مدفعية", "+أطلق", "!مرمى")}
    assert per_sentence("أطلق اللاعب قذيفة في المرمى.", terms) == [{}]
    assert per_sentence("أطلق الجيش قذيفة.", terms) == [{"arms": ("?قذيفة",)}]
    assert per_sentence("سقطت قذيفة مدفعية قرب المرمى.", terms) == [{"arms": ("مدفعية",)}]


def test_a_blocking_marker_silences_firm_terms_too_and_establishes_nothing() -> None:
    terms = {"sanctions": ("=عقوبات", "?الإجراءات", "!!لجنة الانضباط")}
    assert per_sentence("فرضت واشنطن عقوبات.", terms) == [{"sanctions": ("=عقوبات",)}]
    text = "فرضت لجنة الانضباط عقوبات على النادي. ورفض النادي الإجراءات."
    assert per_sentence(text, terms) == [{}, {}]
    text = "فرضت واشنطن عقوبات على المصرف. ورفض المصرف الإجراءات."
    assert per_sentence(text, terms) == [
        {"sanctions": ("=عقوبات",)},
        {"sanctions": ("?الإجراءات",)},
    ]


def test_an_exclusion_covers_a_cue_too() -> None:
    terms = {"sanctions": ("?حظر", "+مجلس الأمن", "-مجلس الأمن القومي")}
    assert per_sentence("فرض مجلس الأمن حظرا.", terms) == [{"sanctions": ("?حظر",)}]
    assert per_sentence("أيد مجلس الأمن القومي حظرا.", terms) == [{}]


def test_a_match_inside_a_longer_one_of_its_theme_counts_once() -> None:
    terms = {"arms": ("?طائرة مسيرة", "?=مسيرة")}
    assert per_sentence("حلقت الطائرة المسيرة فوق الملعب.", terms) == [{}]
    assert per_sentence("حلقت الطائرة المسيرة فوق المسيرة.", terms) == [
        {"arms": ("?طائرة مسيرة", "?=مسيرة")}
    ]


def test_match_takes_a_passage_alone() -> None:
    lexicon = Lexicon(ARMS)
    readings = [r for _, _, r in lexicon.tokens("ودانت الدول التجربة")]
    assert lexicon.match(readings) == {}
    readings = [r for _, _, r in lexicon.tokens("تجربة صاروخ باليستي ودانت التجربة")]
    assert lexicon.match(readings) == {"arms": ["صاروخ باليستي", "?التجربة"]}


# --- the shipped lexicon: one sentence per decision ------------------------------------

CASES = [
    # arms: missiles, shells, arsenals and drones in context; their other senses
    ("أطلقت كوريا الشمالية صاروخا جديدا صباح اليوم.", [{"arms"}]),
    ("انطلق الصاروخ حاملا قمرا اصطناعيا من قاعدة الإطلاق التابعة لوكالة الفضاء.", [set()]),
    ("سدد المهاجم قذيفة قوية سكنت الشباك في الدقيقة الأخيرة.", [set()]),
    ("ويملك الفريق ترسانة من اللاعبين الموهوبين.", [set()]),
    ("ارتفع سهم الشركة كالصاروخ في البورصة.", [set()]),
    ("بدأت الشركة توصيل الطلبات بطائرات بدون طيار.", [set()]),
    ("شنت القوات الروسية هجوما بالطائرات المسيرة على كييف.", [{"arms", "troops"}]),
    # arms: what is said of weapons once they are named
    ("أجرت كوريا الشمالية تجربة لصاروخ باليستي جديد. ودانت واشنطن وسيول التجربة بشدة.",
     [{"arms"}, {"arms"}]),
    ("أجرت الشركة تجربة لمنتج جديد. ودان النقاد التجربة.", [set(), set()]),
    ("شحنت بيونغ يانغ ملايين القذائف المدفعية. وتنقل هذه الشحنات سفن روسية.",
     [{"arms"}, {"arms"}]),
    # arms: new firm wordings
    ("تفقد الزعيم مواقع الإنتاج الحربي.", [{"arms"}]),
    ("منحت الشحنات الجيش تفوقا ناريا على الجبهة.", [{"arms", "troops"}]),
    ("أطلقت بيونغ يانغ صاروخ هواسونغ-18 الجديد.", [{"arms"}]),
    ("اتهمت الوزارة الشركات بنقل معدات ومكونات عسكرية إلى روسيا.", [{"arms"}]),
    # arms: not arms
    ("وصفهم المحللون بأنهم وقود للمدافع.", [{"troops"}]),
    ("تدرب الجنود على الرماية بالذخيرة الحية.", [{"troops"}]),
    ("وضع الجيش وحدات من سلاح الهندسة في حالة تأهب.", [{"troops"}]),
    ("اكتسب الجيش تجربة قتالية واسعة.", [{"troops"}]),
    ("زود الجيش بالمدافع. وتضررت سلاسل الإمداد العالمية بسبب الإغلاق.",
     [{"arms", "troops"}, set()]),
    # troops: new firm wordings
    ("وصل آلاف العسكريين إلى الجبهة.", [{"troops"}]),
    ("انتشرت الوحدات على خطوط التماس.", [{"troops"}]),
    ("أجلت دوريات عسكرية العائلات من القرى.", [{"troops"}]),
    ("يشارك المتطوعون في القتال إلى جانب الروس.", [{"troops"}]),
    # troops: casualties and captives once soldiers are named
    ("أرسلت بيونغ يانغ آلاف الجنود إلى كورسك. وسقط مئات القتلى والجرحى في صفوفهم.",
     [{"troops"}, {"troops"}]),
    ("وقع حادث سير على الطريق السريع. وسقط ثلاثة قتلى.", [set(), set()]),
    # troops: not troops
    ("وقال محللون عسكريون إن الهجوم فشل.", [set()]),
    ("تدخلت قوات الأمن لتفريق المتظاهرين.", [set()]),
    ("وصف الوزير الأطباء بالجيش الأبيض.", [set()]),
    ("تعتمد الدولة على جيش من القراصنة الإلكترونيين.", [set()]),
    ("خاض الفريق المباراة بكتيبة من الشباب.", [set()]),
    ("طورت الشركة صاروخا قادرا على المناورة للأقمار الاصطناعية.", [set()]),
    ("نقلت الصحيفة عن ضابط أوكراني قوله إن الوضع صعب.", [set()]),
    ("فرضت واشنطن ضوابط جديدة على تصدير الرقائق.", [set()]),
    # sanctions: the ban in context; a state's own ban and the law's prohibitions are not
    ("فرضت الأمم المتحدة حظرا على صادرات الفحم الكورية.", [{"sanctions"}]),
    ("يحظر القانون التمييز بين المواطنين.", [set()]),
    ("مددت الحكومة حظر تصدير القمح لحماية السوق المحلية.", [set()]),
    ("أعلن الاتحاد حظر السفر على مسؤولين في النظام.", [{"sanctions"}]),
    ("فرضت إندونيسيا قيودا على تصدير النيكل.", [set()]),
    # sanctions: evasion
    ("تنقل ناقلات أسطول الظل النفط الروسي.", [{"sanctions"}]),
    ("يجري نقل النفط من سفينة إلى أخرى في عرض البحر.", [{"sanctions"}]),
    ("يشكل ذلك التفافا على القرارات الأممية.", [{"sanctions"}]),
    # sanctions: the measures once sanctions are named
    ("فرضت واشنطن عقوبات جديدة على مصارف روسية. ووصفت موسكو الإجراءات بأنها غير قانونية.",
     [{"sanctions"}, {"sanctions"}]),
    ("أعلنت الوزارة إجراءات جديدة لتسهيل الاستثمار.", [set()]),
    # sanctions: not sanctions
    ("دخل قانون العقوبات البديلة حيز التنفيذ.", [set()]),
    ("أعلنت السلطات حظرا شاملا للتجول.", [set()]),
    ("وقال المتحدث باسم مجلس الأمن القومي إن الإدارة ستمنع الإغلاق.", [set()]),
    # china: an actor, not a place, a market, a team or an art
    ("أعربت الصين عن قلقها من التقارب بين موسكو وبيونغ يانغ.", [{"china"}]),
    ("استخدمت الصين حق النقض ضد مشروع القرار.", [{"china"}]),
    ("قالت الخارجية الصينية إن بلادها تحترم سيادة الدول.", [{"china"}]),
    ("تراجع الطلب على النفط في الصين.", [set()]),
    ("افتتحت شركة صينية مصنعا في المدينة.", [set()]),
    ("يواجه المنتخب الصيني نظيره السعودي.", [set()]),
    ("ويحتفي المهرجان بالسينما الصينية.", [set()]),
    # round 4 — arms: other senses of containers, shipments, arsenals, stocks and aid
    ("أحبطت الجمارك تهريب شحنة مخدرات داخل حاوية في الميناء.", [set()]),
    ("أحبطت الجمارك تهريب شحنة داخل حاوية في الميناء.", [{"arms"}]),
    ("وصف الوزير مخزون اللقاحات بأنه ترسانة في مواجهة الوباء.", [set()]),
    ("يعتمد المدرب على ترسانته الهجومية لحسم لقب الدوري.", [set()]),
    ("أطلقت الشركة مساعدا ذكيا يجيب عن أسئلة الزبائن.", [set()]),
    ("حمل الجنود المساعدات إلى المنكوبين بعد الزلزال.", [{"troops"}]),
    ("يعمل خبراء نزع الألغام في الحقول الزراعية.", [set()]),
    ("تستعين المصارف بمنظومات دفع إلكترونية لتطوير خدماتها.", [set()]),
    ("تلزم المعاهدة كل طرف بتقديم المساعدة العسكرية فورا إذا تعرض الآخر لاعتداء.",
     [set()]),
    ("نجح إطلاق القمر الاصطناعي من القاعدة الفضائية.", [set()]),
    # round 4 — arms: munitions counted by the million, spy satellites
    ("عبرت ملايين القذائف الحدود إلى روسيا.", [{"arms"}]),
    ("وضعت البلاد قمرا اصطناعيا للتجسس في المدار.", [{"arms"}]),
    # round 4 — troops: naval exercises, conscripts; a football club, a film
    ("تنضم بيونغ يانغ إلى التدريبات البحرية التي تجريها موسكو.", [{"troops"}]),
    ("استدعت الوزارة آلاف المجندين الجدد.", [{"troops"}]),
    ("فاز الجيش الملكي على منافسه بهدفين.", [set()]),
    ("يروي الفيلم قصة جندي عاد من الحرب.", [set()]),
    # round 4 — sanctions: asset freezes by verb, prohibited deals, the financial noose,
    # listings, the UN panel, restrictive measures, the price cap, the UN's word
    ("جمدت الحكومة أصول ثلاث شركات.", [{"sanctions"}]),
    ("تتهم التقارير الشبكة بتنفيذ صفقات محظورة.", [{"sanctions"}]),
    ("شددت العواصم الغربية الخناق المالي على النظام.", [{"sanctions"}]),
    ("أدرجت الوزارة شركتين على قائمة الكيانات.", [{"sanctions"}]),
    ("أنهت روسيا ولاية لجنة خبراء الأمم المتحدة.", [{"sanctions"}]),
    ("اعتمد الاتحاد الأوروبي إجراءات تقييدية جديدة.", [{"sanctions"}]),
    ("حدد الحلفاء سقفا لسعر النفط الروسي.", [{"sanctions"}]),
    ("فرض المجلس جزاءات على الكيانات الضالعة.", [{"sanctions"}]),
    ("تخضع صادرات الرقائق لقيود أمريكية صارمة.", [{"sanctions"}]),
    ("فرضت واشنطن عقوبات على المصرف. وتقول الشركات المدرجة إنها لم تخالف القانون.",
     [{"sanctions"}, {"sanctions"}]),
    # round 4 — sanctions: not sanctions, a football federation's penalties
    ("فرضت لجنة الانضباط عقوبات على النادي بسبب أحداث المباراة.", [set()]),
    # round 4 — china: Xi alone beside the other leaders, his counterpart; China as origin,
    # a correspondent in Beijing
    ("جلس بوتين إلى جانب شي خلال العرض.", [{"china"}]),
    ("التقى بوتين نظيره الصيني في موسكو.", [{"china"}]),
    ("دعا الوزير الشركات الصينية إلى الاستثمار في الولايات المتحدة.", [set()]),
    ("معنا من بكين الزميل مراسل القناة.", [set()]),
    # round 5 — arms: named drones and missiles; figurative weapons, the guns falling
    # silent, mutual assistance, rescue, civilian nuclear building, football, the school
    ("تنتج المصانع الروسية نسخة من مسيرة شاهد.", [{"arms"}]),
    ("يحمل كل هاتف سلاحا ذا حدين.", [set()]),
    ("تملك شركات التكنولوجيا ترسانة كاملة من الخوارزميات.", [set()]),
    ("سيعود اللاجئون إلى قراهم حين تصمت المدافع وتنتهي الحرب.", [set()]),
    ("تنص المعاهدة العسكرية على المساعدة المتبادلة في حال التعرض لعدوان.", [set()]),
    ("أرسل الجيش طائرات مسيرة للبحث عن ناجين تحت الأنقاض.", [{"troops"}]),
    ("يعمل المهندسون في أكبر موقع بناء نووي تشرف عليه روساتوم.", [set()]),
    ("حسم المهاجم مباراة الدوري بسلاحه المعتاد: الضربات الرأسية.", [set()]),
    ("تخوض المدرسة معركتها بأسلحة قديمة.", [set()]),
    # round 5 — troops: soldiers counted, units with a gap; a simile, online "battalions",
    # civilians hurt, a novel's soldier
    ("نشرت بيونغ يانغ خمسة عشر ألف عسكري في روسيا.", [{"troops"}]),
    ("وصلت وحدات من الهندسة العسكرية إلى الحدود.", [{"troops"}]),
    ("قاتل اللاعبون كالجنود حتى النهاية.", [set()]),
    ("تنشر كتائب الذباب الإلكتروني الشائعات.", [set()]),
    ("قصف الجيش المدينة. وأسفر القصف عن إصابة أربعة أشخاص.", [{"troops"}, set()]),
    ("تروي رواية تاريخية سيرة جندي في الحرب العالمية.", [set()]),
    # round 5 — sanctions: packages of restrictions, the cap, the Treasury's licences, the
    # abstention, the resolutions, the panel's report rejected; a court's penalties, a
    # school's restrictions
    ("أقر الاتحاد الأوروبي حزمة قيود جديدة على موسكو.", [{"sanctions"}]),
    ("تجاوزت الشحنات السقف السنوي الذي حدده مجلس الأمن.", [{"sanctions"}]),
    ("مددت وزارة الخزانة الأمريكية ترخيصا يسمح للشركة بمواصلة العمل.", [{"sanctions"}]),
    ("فرض مجلس الأمن عقوبات جديدة على بيونغ يانغ. وامتنعت الصين عن التصويت.",
     [{"sanctions"}, {"sanctions", "china"}]),
    ("لم تعد موسكو ترى نفسها ملزمة بالقرارات الأممية.", [{"sanctions"}]),
    ("نشرت لجنة خبراء الأمم المتحدة تقريرها عن العقوبات. ورفضت موسكو التقرير.",
     [{"sanctions"}, {"sanctions"}]),
    ("فرضت المحكمة عقوبات على المدانين بالتشهير.", [set()]),
    ("وجد التلاميذ طرقا للالتفاف على القيود في المدرسة.", [set()]),
    # round 5 — china: state rescue teams and state companies, watching closely, the three
    # leaders' photo; a location, a dateline
    ("وصلت فرق الإنقاذ الصينية إلى المدينة المنكوبة.", [{"china"}]),
    ("علقت شركات نفط صينية حكومية شراء الشحنات الروسية.", [{"china"}]),
    ("تتابع الصين التطورات عن كثب.", [{"china"}]),
    ("ظهر شي إلى جانب بوتين وكيم. وأثارت الصورة الثلاثية قلق الغرب.", [{"china"}, {"china"}]),
    ("تعمل الشبكات من مدن في الصين وروسيا.", [set()]),
    ("بكين (رويترز) - ارتفعت أسعار الأسهم.", [set()]),
    # round 5, from press usage beyond the gold sets: named systems, coercive measures,
    # the DPRK resolutions by number, China's envoys and spokespeople by name
    ("تسلمت القوات منظومات بانتسير.", [{"arms", "troops"}]),
    ("نددت دمشق بالإجراءات القسرية الأحادية.", [{"sanctions"}]),
    ("تطبق الدول القرار 2397 على واردات الوقود.", [{"sanctions"}]),
    ("قالت ماو نينغ إن بلادها تحترم سيادة الدول.", [{"china"}]),
    # round 6 — arms: a missile "of the type", KN spellings, naval pieces, mortars, caches,
    # the singular drone in a strike; defenders are not cannons, a march is not a drone
    ("عثر المحققون على حطام صاروخ من طراز جديد.", [{"arms"}]),
    ("عثر الخبراء على بقايا كي إن-23 في الموقع.", [{"arms"}]),
    ("رافقت قطع بحرية فرنسية ناقلات النفط.", [{"arms", "troops"}]),
    ("ضبطت الشرطة مخزنا يضم قذائف هاون.", [{"arms"}]),
    ("عثرت دورية على مستودع يحوي صواريخ.", [{"arms"}]),
    ("استهدفت مسيرة سيارة على الطريق الساحلي.", [{"arms"}]),
    ("نظم الطلاب مسيرة احتجاجية استهدفت لفت الأنظار إلى الغلاء.", [set()]),
    ("قصفت الطائرات الحربية المدينة. وأكد الرئيس التزامه بمسيرة السلام.", [{"arms"}, set()]),
    ("أطلق الجيش صاروخا باليستيا. وقال المدافعون عن السياسة إنها ضرورية.",
     [{"arms", "troops"}, set()]),
    ("مهما كبرت ترسانة العدو من المعدات الحديثة فلن يجرؤ على الهجوم.", [{"arms"}]),
    # round 6 — arms: not arms — artillery units (troops), a nickname and a penalty kick, a
    # coach's "weapon", the mutual-defence clause, reconstruction aid, a price war
    ("انتشرت وحدات مدفعية قرب الحدود.", [{"troops"}]),
    ("أحرز الجناح الملقب بالصاروخ هدفا من ضربة جزاء.", [set()]),
    ("قال المدير الفني إن مهاجمه سلاح فتاك.", [set()]),
    ("أرسلت موسكو أسلحة إلى حليفها. وتنص المعاهدة على تقديم المساعدة إذا تعرض أحد الطرفين لهجوم.",
     [{"arms"}, set()]),
    ("أرسلت موسكو أسلحة إلى حليفها. ووصف الحاكم المساعدة بأنها ضرورية لإعادة الإعمار.",
     [{"arms"}, set()]),
    ("زادت الشركة الإنتاج في خضم حرب الأسعار.", [set()]),
    # round 6 — troops: a force as the speaker is not troops, what it says may be;
    # reinforcements in context, commandos and snipers; combat sports, a coach's "soldiers"
    ("قال الجيش إن الوضع هادئ.", [set()]),
    ("قال الجيش إن جنوده صدوا الهجوم.", [{"troops"}]),
    ("أعلن سلاح الجو أن روسيا أطلقت مئات المسيرات.", [{"arms"}]),
    ("وصلت تعزيزات روسية إلى البلدة وسط قتال عنيف.", [{"troops"}]),
    ("دفعت الشرطة بتعزيزات أمنية إلى الملعب وسط اشتباكات.", [set()]),
    ("نفذت وحدة كوماندوز عملية إنزال.", [{"troops"}]),
    ("انتشر القناصة على أسطح المباني.", [{"troops"}]),
    ("فاز المقاتل الروسي في النزال الرئيسي.", [set()]),
    ("وصف المدير الفني لاعبيه بالجنود المجهولين.", [set()]),
    # round 6 — sanctions: a regulation's penalties on violators, the law's penalties, a ban
    # on lorries, doping; the Caesar Act
    ("وتنص اللائحة على عقوبات صارمة بحق المخالفين.", [set()]),
    ("سيتعرض المخالف للعقوبات المنصوص عليها في قانون المرور.", [set()]),
    ("أعلنت البلدية حظر دخول الشاحنات إلى وسط المدينة.", [set()]),
    ("فرضت الوكالة عقوبات على عداء بسبب المنشطات.", [set()]),
    ("يستهدف قانون قيصر المتعاملين مع الحكومة السورية.", [{"sanctions"}]),
    # round 6 — china: China as the subject of an act, its delegation, the three leaders by
    # another word, China against the West; a destination, a city, a language, a market
    ("وامتنعت الصين عن التعليق.", [{"china"}]),
    ("قدم الوفد الصيني مقترحا جديدا.", [{"china"}]),
    ("استقبل شي بوتين وكيم في بكين. وظهر الزعماء الثلاثة على المنصة.",
     [{"china"}, {"china"}]),
    ("اتسعت الهوة بين الصين والغرب.", [{"china"}]),
    ("غادر لافروف موسكو وتوجه إلى الصين.", [set()]),
    ("ارتفع عدد الرحلات بين القاهرة وكل من بكين وشنغهاي.", [set()]),
    ("تعلم المرشدون اللغة الصينية لاستقبال السياح الصينيين.", [set()]),
    ("تراجعت المبيعات في السوق الصينية بسبب التوتر مع واشنطن.", [set()]),
]  # fmt: skip


@pytest.mark.parametrize(("text", "themes"), CASES)
def test_the_default_lexicon_sentence_by_sentence(
    lemmas: Lemmatizer, text: str, themes: list[set[str]]
) -> None:
    assert [set(found) for found in per_sentence(text, DEFAULT_TERMS, lemmas)] == themes


# --- the gold sets: a change that loses ground fails ----------------------------------

#: Per gold set and theme: (precision, recall) the shipped lexicon must keep.
FLOORS = {
    "seeds_gold.jsonl": {t: (0.9, 0.9) for t in ("arms", "troops", "sanctions", "china")},
    "heldout_gold.jsonl": {
        "arms": (0.9, 0.9),
        "troops": (0.9, 0.9),
        "sanctions": (0.9, 0.85),
        "china": (0.9, 0.85),
    },
    # the test set of round 3, read and tuned on (by wording class) in round 4
    "heldout2_gold.jsonl": {
        "arms": (0.9, 0.9),
        "troops": (0.85, 0.9),
        "sanctions": (0.9, 0.8),
        "china": (0.9, 0.8),
    },
    # the test set of round 4, read and tuned on (by wording class) in round 5
    "heldout3_gold.jsonl": {t: (0.9, 0.9) for t in ("arms", "troops", "sanctions", "china")},
    # the test set of round 5, read and tuned on (by wording class) in round 6
    "heldout4_gold.jsonl": {
        "arms": (0.8, 0.9),
        "troops": (0.75, 0.8),
        "sanctions": (0.9, 0.75),
        "china": (0.8, 0.75),
    },
}


def test_the_default_lexicon_keeps_its_figures_on_the_read_gold_sets(
    lemmas: Lemmatizer,
) -> None:
    sys.path.insert(0, str(ROOT / "bench"))
    from _gold import DEFAULT_GOLD, count, load_all, prf  # type: ignore[import-not-found]

    gold = load_all(
        [
            *DEFAULT_GOLD,
            *(
                ROOT / f"tests/data/gold/{n}/{n}_gold.jsonl"
                for n in ("heldout2", "heldout3", "heldout4")
            ),
        ]
    )
    lexicon = Lexicon(DEFAULT_TERMS, lemmas)
    predicted = {
        (s.doc, s.start, s.end): set(s.themes)
        for document in gold.documents.values()
        for s in suggest_text(document.text, document.all_sentences(), lexicon, document.rel)
    }
    for name, rels in gold.sets.items():
        units = [u for u in gold.units if u.doc in set(rels)]
        counts = count(units, predicted, list(lexicon.themes))
        for theme, (precision, recall) in FLOORS[name].items():
            p, r, _ = prf(counts[theme])
            assert p >= precision and r >= recall, (name, theme, round(p, 2), round(r, 2))
