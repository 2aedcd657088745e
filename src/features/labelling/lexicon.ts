// A small hand-written polarity lexicon (Dutch and English), written for this project.
//
// Why a lexicon beside the trained model: a customer's first comments arrive before any correction
// exists, and a few hundred training examples cannot contain every way to say "great" or "awful".
// The lexicon does not decide anything by itself (a lexicon alone scored below the majority baseline
// on Dutch reviews, see DESIGN.md); it adds two features, "a positive word" and "a negative word"
// (flipped under negation), whose weights the logistic regression learns from examples.

export const POSITIVE_WORDS: Record<'nl' | 'en', readonly string[]> = {
  nl: [
    'goed', 'prima', 'uitstekend', 'top', 'super', 'fijn', 'lekker', 'heerlijk', 'vriendelijk', 'aardig', 'behulpzaam',
    'snel', 'vlot', 'netjes', 'keurig', 'tevreden', 'blij', 'geweldig', 'fantastisch', 'perfect', 'mooi', 'prettig',
    'gezellig', 'attent', 'duidelijk', 'professioneel', 'deskundig', 'vakkundig', 'schoon', 'smaakvol', 'verrukkelijk',
    'voortreffelijk', 'uitmuntend', 'aanrader', 'aanradertje', 'genoten', 'genieten', 'complimenten', 'compliment', 'bedankt', 'dank',
    'correct', 'betaalbaar', 'redelijk', 'ruim', 'rustig', 'sfeervol', 'zorgvuldig', 'geduldig', 'betrokken', 'warm', 'hartelijk',
    'gastvrij', 'klantvriendelijk', 'oplossingsgericht', 'efficiënt', 'makkelijk', 'gemakkelijk', 'handig', 'overzichtelijk',
    'toppie', 'subliem', 'uitzonderlijk', 'vers', 'mals', 'knap', 'gaaf', 'leuk', 'plezierig', 'ontspannen', 'veilig',
    'eerlijk', 'flexibel', 'waardering', 'gewaardeerd', 'gehoord', 'serieus', 'genomen', 'opgelost', 'aanbevelen', 'aangenaam', 'best',
    'beste', 'fantastische', 'goede', 'lekkere', 'vriendelijke', 'topservice', 'correcte', 'verzorgd', 'stipt', 'punctueel',
    // Also words heard more in Flanders ("zalig", "tof", "proper").
    'zalig', 'tof', 'toffe', 'proper', 'overheerlijk', 'verfijnd', 'verfijnde', 'creatief', 'origineel', 'smaakvolle', 'sympathiek',
    'charmant', 'tiptop', 'piekfijn', 'bravo', 'proficiat', 'klasse', 'uitgebreid', 'lief', 'prachtig', 'prachtige', 'smullen',
    'gesmaakt', 'verwend', 'aangename', 'mooie', 'fijne', 'uitstekende', 'gezellige', 'toppertje', 'genoten', 'aanbevolen',
    'pluspunt', 'pluspunten', 'rap', 'vlotte', 'ongelooflijk', 'ongelofelijk', 'meevallen', 'meeviel', 'aangenaam', 'uitblinker',
    // General evaluative words (adjectives, nouns, verbs), Dutch and Flemish usage.
    'uitstekend', 'voortreffelijke', 'heerlijke', 'geweldige', 'fantastisch', 'schitterend', 'schitterende', 'prachtig', 'sublieme',
    'voorbeeldig', 'onberispelijk', 'uitmuntende', 'bijzonder', 'bijzondere', 'verrassend', 'verrassende', 'innovatief', 'eerlijke',
    'attente', 'behulpzame', 'deskundige', 'vakkundige', 'professionele', 'vriendelijkheid', 'gastvrijheid', 'service-gericht',
    'warme', 'hartelijke', 'gemoedelijk', 'gemoedelijke', 'huiselijk', 'knus', 'knusse', 'sfeervolle', 'smaakvol', 'stijlvol',
    'stijlvolle', 'modern', 'moderne', 'ruim', 'ruime', 'lichte', 'schone', 'frisse', 'fris', 'rustige', 'relaxt', 'relaxed',
    'sappig', 'sappige', 'malse', 'krokant', 'krokante', 'smeuïg', 'romig', 'romige', 'geurig', 'kruidig', 'verse', 'huisgemaakt',
    'huisgemaakte', 'ambachtelijk', 'ambachtelijke', 'royaal', 'royale', 'genereus', 'gul', 'voldoende', 'correcte', 'netjes',
    'snelle', 'vlotte', 'efficiënte', 'punctuele', 'geduldige', 'zorgzaam', 'zorgzame', 'betrokkenheid', 'aandacht', 'persoonlijk',
    'persoonlijke', 'oprecht', 'oprechte', 'enthousiast', 'enthousiaste', 'motiverend', 'inspirerend', 'leerzaam', 'waardevol',
    'waardevolle', 'nuttig', 'nuttige', 'betrouwbaar', 'betrouwbare', 'stabiel', 'soepel', 'probleemloos', 'moeiteloos', 'gemak',
    'aanrader', 'topper', 'toppers', 'pareltje', 'parel', 'juweeltje', 'feest', 'smaakexplosie', 'genot', 'plezier', 'blije',
    'dankbaar', 'waarderen', 'waardeer', 'genieten', 'geniet', 'aanbevelen', 'beveel', 'overtuigd', 'verrast', 'onder de indruk',
    'tevredenheid', 'top', 'perfecte', 'geslaagd', 'geslaagde', 'gelukt', 'meegedacht', 'meedenken', 'opgelost', 'gerustgesteld',
    'welkom', 'verwelkomd', 'ontvangst', 'aangenaam', 'aangename', 'fijn', 'prettige', 'comfortabel', 'comfortabele', 'gezelligheid',
    'leuke', 'mooi', 'mooiste', 'lekkerste', 'beter', 'verbeterd', 'vooruitgang', 'ok', 'oke', 'oké',
  ],
  en: [
    'good', 'great', 'excellent', 'fine', 'nice', 'lovely', 'friendly', 'helpful', 'quick', 'fast', 'tidy', 'clean',
    'happy', 'pleased', 'satisfied', 'amazing', 'fantastic', 'wonderful', 'perfect', 'beautiful', 'pleasant', 'cosy', 'cozy',
    'attentive', 'clear', 'professional', 'knowledgeable', 'skilled', 'delicious', 'tasty', 'superb', 'outstanding',
    'recommend', 'recommended', 'enjoyed', 'enjoy', 'compliments', 'thanks', 'thank', 'reasonable', 'affordable', 'spacious',
    'quiet', 'careful', 'patient', 'caring', 'warm', 'welcoming', 'efficient', 'easy', 'convenient', 'smooth', 'awesome',
    'brilliant', 'exceptional', 'fresh', 'tender', 'fun', 'relaxed', 'safe', 'honest', 'flexible', 'appreciated', 'love',
    'loved', 'best', 'impressed', 'polite', 'courteous', 'responsive', 'supportive', 'reliable', 'punctual', 'terrific', 'fabulous',
    'yummy', 'incredible', 'phenomenal', 'stellar', 'divine', 'heavenly', 'exquisite', 'gorgeous', 'charming', 'generous', 'authentic',
    'creative', 'favourite', 'favorite', 'solid', 'decent', 'prompt', 'gracious', 'wow', 'elegant', 'classy', 'flavorful', 'flavourful',
    'succulent', 'perfectly', 'nicely', 'fantastic', 'unbeatable', 'spot-on', 'gem',
    // General evaluative words.
    'superb', 'splendid', 'marvellous', 'marvelous', 'impeccable', 'flawless', 'remarkable', 'memorable', 'outstanding',
    'welcoming', 'hospitable', 'knowledgeable', 'competent', 'efficient', 'prompt', 'attentive', 'considerate', 'thoughtful',
    'kind', 'warm', 'lovely', 'charming', 'cheerful', 'enthusiastic', 'passionate', 'genuine', 'personal', 'comfortable',
    'cosy', 'stylish', 'modern', 'bright', 'airy', 'spotless', 'immaculate', 'peaceful', 'calm', 'juicy', 'crispy', 'crisp',
    'creamy', 'flavoursome', 'fragrant', 'homemade', 'generous', 'plentiful', 'hearty', 'filling', 'satisfying', 'reliable',
    'stable', 'seamless', 'effortless', 'hassle-free', 'straightforward', 'intuitive', 'user-friendly', 'useful', 'valuable',
    'worthwhile', 'inspiring', 'motivating', 'rewarding', 'fair', 'transparent', 'respectful', 'grateful', 'glad', 'delighted',
    'thrilled', 'enjoyable', 'pleasure', 'treat', 'highlight', 'winner', 'gem', 'favourite', 'recommendation', 'praise', 'improved',
    'better', 'ok', 'okay',
  ],
};

export const NEGATIVE_WORDS: Record<'nl' | 'en', readonly string[]> = {
  nl: [
    'slecht', 'slechte', 'matig', 'traag', 'langzaam', 'lang', 'duur', 'vies', 'smerig', 'koud', 'lauw', 'onvriendelijk',
    'onbeleefd', 'brutaal', 'arrogant', 'ongeïnteresseerd', 'chagrijnig', 'onduidelijk', 'onprofessioneel', 'teleurgesteld',
    'teleurstellend', 'teleurstelling', 'ontevreden', 'boos', 'kwaad', 'klacht', 'klachten', 'probleem', 'problemen',
    'kapot', 'defect', 'lekkage', 'schimmel', 'vochtig', 'tochtig', 'lawaai', 'lawaaierig', 'luidruchtig', 'druk', 'rommelig',
    'onveilig', 'waardeloos', 'belachelijk', 'schandalig', 'schande', 'triest', 'jammer', 'helaas', 'spijtig', 'flauw', 'droog',
    'taai', 'zout', 'verbrand', 'oud', 'oudbakken', 'vet', 'klein', 'karig', 'krap', 'gewacht', 'vergeten',
    'genegeerd', 'fout', 'fouten', 'verkeerd', 'mis', 'nooit', 'irritant', 'frustrerend', 'ergernis', 'ergerlijk', 'stress',
    'overwerkt', 'onderbezet', 'onderbetaald', 'ingewikkeld', 'omslachtig', 'bureaucratisch', 'onbereikbaar', 'onbeschoft',
    'ongeduldig', 'nonchalant', 'slordig', 'zonde', 'afgezet', 'oplichting', 'ramp', 'drama', 'vreselijk', 'verschrikkelijk',
    'afschuwelijk', 'bagger', 'ondermaats', 'overprijsd', 'prijzig', 'gehaast', 'afgeraffeld', 'benauwd', 'ongezellig', 'kil', 'steriel',
    'ontgoocheld', 'ontgoocheling', 'ontgoochelend', 'overroepen', 'middelmatig', 'matige', 'tegenvallen', 'tegenvaller', 'onvoldoende',
    'onverschillig', 'onvriendelijke', 'nors', 'chaotisch', 'chaos', 'smakeloos', 'flauwe', 'taaie', 'aangebrand', 'uitgedroogd', 'klef',
    'slap', 'vettig', 'oneetbaar', 'walgelijk', 'smerige', 'kortaf', 'bot', 'lomp', 'afrader', 'vermijden', 'afzetterij', 'peperduur',
    'overdreven', 'amper', 'nauwelijks', 'weinig', 'ongeïnteresseerde', 'trage', 'slechter', 'slechtste', 'verwaarloosd',
    'onsmakelijk', 'bedorven', 'minder', 'spijt', 'minpunt', 'minpunten', 'mijden', 'ergeren', 'geërgerd', 'onbehulpzaam', 'onattent',
    // General evaluative words (adjectives, nouns, verbs), Dutch and Flemish usage.
    'slechte', 'matige', 'beroerd', 'belabberd', 'abominabel', 'rampzalig', 'dramatisch', 'bedroevend', 'treurig', 'pover', 'povere',
    'mager', 'magere', 'armoedig', 'armzalig', 'goedkoop ogend', 'gedateerd', 'verouderd', 'versleten', 'vuil', 'vuile', 'vieze',
    'plakkerig', 'stoffig', 'muf', 'muffe', 'stinkt', 'stank', 'lawaaiig', 'ongemakkelijk', 'oncomfortabel', 'krappe',
    'kouwe', 'koude', 'lauwe', 'droge', 'taai', 'zompig', 'papperig', 'waterig', 'smakeloze', 'flauw', 'zoute', 'zouteloos',
    'verbrande', 'rauwe', 'ongaar', 'overgaar', 'doorgekookt', 'aangebrande', 'oudbakken', 'bedorven', 'beschimmeld', 'vettige',
    'onfris', 'onhygiënisch', 'hygiëne', 'vlieg', 'kakkerlak', 'ongedierte', 'misselijk', 'buikpijn',
    'onbeleefde', 'onbeschofte', 'grof', 'grove', 'arrogante', 'nukkig', 'chagrijnige', 'ongeïnteresseerd', 'afwezig', 'afwezige',
    'onkundig', 'onkunde', 'incompetent', 'amateuristisch', 'onprofessionele', 'slordige', 'vergeetachtig', 'traagheid', 'trager',
    'eindeloos', 'eeuwig', 'eeuwen', 'urenlang', 'wachttijden', 'vertraging', 'uitgesteld', 'afgezegd', 'geannuleerd', 'kwijt',
    'kwijtgeraakt', 'vergissing', 'blunder', 'fout', 'foutje', 'onjuist', 'onjuiste', 'klopt niet', 'gebrek', 'gebrekkig',
    'gebrekkige', 'tekort', 'tekortkoming', 'mankeert', 'ontbrak', 'ontbreekt', 'ontbraken', 'miste', 'vergeefs',
    'nutteloos', 'zinloos', 'onzin', 'bagger', 'prutswerk', 'knoeiwerk', 'geklungel', 'gedoe', 'rompslomp', 'bureaucratie',
    'onbegrijpelijk', 'verwarrend', 'ondoorzichtig', 'vaag', 'vage', 'onbereikbaarheid', 'genegeerd', 'negeren', 'afgescheept',
    'afgewimpeld', 'kastje', 'ergernis', 'geïrriteerd', 'irritatie', 'woedend', 'woede', 'gefrustreerd', 'frustratie', 'teleurstellende',
    'onacceptabel', 'onaanvaardbaar', 'ontoelaatbaar', 'schandalige', 'belachelijke', 'absurd', 'absurde', 'idioot', 'waanzin',
    'duurder', 'te duur', 'woekerprijzen', 'uitzuigen', 'oplichters', 'nepotisme', 'misbruik', 'klagen', 'geklaagd', 'klaag',
    'tegenvallend', 'tegenviel', 'minpunt', 'nadeel', 'nadelen', 'helaas', 'jammer genoeg', 'spijtig genoeg', 'niet meer', 
  ],
  en: [
    'bad', 'poor', 'mediocre', 'slow', 'long', 'expensive', 'overpriced', 'pricey', 'dirty', 'filthy', 'cold', 'lukewarm',
    'unfriendly', 'rude', 'impolite', 'arrogant', 'uninterested', 'grumpy', 'unclear', 'unprofessional', 'disappointed',
    'disappointing', 'disappointment', 'unhappy', 'angry', 'annoyed', 'complaint', 'complaints', 'problem', 'problems',
    'broken', 'faulty', 'leak', 'leaking', 'mould', 'mold', 'damp', 'noisy', 'loud', 'crowded', 'messy', 'unsafe',
    'useless', 'ridiculous', 'shameful', 'disgrace', 'sad', 'unfortunately', 'pity', 'shame', 'bland', 'dry', 'tough',
    'salty', 'burnt', 'stale', 'greasy', 'small', 'tiny', 'waited', 'forgot', 'forgotten', 'ignored', 'wrong',
    'mistake', 'mistakes', 'never', 'annoying', 'frustrating', 'frustrated', 'stressful', 'overworked', 'understaffed',
    'underpaid', 'complicated', 'cumbersome', 'unreachable', 'careless', 'sloppy', 'terrible', 'horrible', 'awful',
    'dreadful', 'worst', 'disgusting', 'inedible', 'rushed', 'cramped', 'stuffy', 'hate', 'hated', 'waste', 'nightmare',
    'overrated', 'soggy', 'undercooked', 'overcooked', 'inattentive', 'unacceptable', 'avoid', 'lacking', 'gross', 'meh', 'pathetic',
    'sucks', 'sucked', 'lousy', 'crappy', 'subpar', 'worse', 'nasty', 'tasteless', 'bland', 'neglected', 'insulting', 'unpleasant',
    // General evaluative words.
    'dreadful', 'appalling', 'atrocious', 'abysmal', 'shocking', 'pathetic', 'poorly', 'sloppy', 'shoddy', 'cheap-looking',
    'dated', 'outdated', 'worn', 'shabby', 'grubby', 'sticky', 'dusty', 'smelly', 'stinks', 'smell', 'uncomfortable',
    'lukewarm', 'soggy', 'chewy', 'rubbery', 'watery', 'flavourless', 'flavorless', 'raw', 'burned', 'mouldy', 'moldy',
    'rotten', 'unhygienic', 'cockroach', 'food poisoning', 'impolite', 'dismissive', 'condescending',
    'patronising', 'patronizing', 'hostile', 'surly', 'incompetent', 'clueless', 'amateurish', 'unprofessional', 'forgetful',
    'endless', 'forever', 'ages', 'delay', 'delays', 'cancelled', 'canceled', 'lost', 'error', 'errors', 'incorrect', 'inaccurate',
    'lack', 'lacked', 'missing', 'insufficient', 'inadequate', 'pointless', 'nonsense', 'hassle', 'bureaucracy', 'bureaucratic',
    'confusing', 'unclear', 'vague', 'ignore', 'ignoring', 'fobbed', 'irritated', 'irritating', 'furious', 'livid', 'upset',
    'frustration', 'unacceptable', 'outrageous', 'absurd', 'scandalous', 'rip', 'overcharged', 'complain', 'complained',
    'downside', 'drawback', 'unfortunately', 'sadly', 'regret', 'mess', 'chaos', 'chaotic', 'unorganised', 'disorganised',
    'disorganized', 'unreliable', 'worse', 'worst',
  ],
};

// Fixed expressions whose words alone mislead ("kan beter" holds "beter", "never again" holds no
// negative word). Matched on normalised text at word boundaries; each counts as one polar word.
export const POSITIVE_PHRASES: Record<'nl' | 'en', readonly string[]> = {
  nl: ['de moeite waard', 'aan te raden', 'voor herhaling vatbaar', 'niets op aan te merken', 'niks op aan te merken', 'waar voor je geld', 'in de watten gelegd', 'dik in orde', 'tip top', 'geen spijt', 'komen zeker terug', 'zeker terug', 'een aanrader', 'valt mee', 'viel mee'],
  en: ['worth it', 'worth the', 'value for money', 'will be back', 'be back', 'come back', 'go back', 'no complaints', 'second to none', 'spot on', 'cannot fault', "can't fault", 'well done', 'highly recommend', 'must try', 'a must'],
};
export const NEGATIVE_PHRASES: Record<'nl' | 'en', readonly string[]> = {
  nl: ['kan beter', 'kon beter', 'kunnen beter', 'mag beter', 'te wensen over', 'valt tegen', 'viel tegen', 'vielen tegen', 'nooit meer', 'niet te vreten', 'niet te eten', 'niet waard', 'geen aanrader', 'sla over', 'laat het', 'geld terug', 'wat jammer', 'voor geen meter', 'van het kastje naar de muur', 'aan ons lot'],
  en: ['could be better', 'could have been better', 'could do better', 'never again', 'not worth', 'left a lot to be desired', 'leaves a lot to be desired', 'waste of', 'rip off', 'rip-off', 'stay away', 'not again', 'let down', 'fell short', 'falls short', 'went downhill', 'gone downhill', 'over priced', 'not impressed'],
};
