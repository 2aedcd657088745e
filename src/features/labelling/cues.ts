// Topic cue words (Dutch and English), written for this project from general knowledge of the
// sectors Peil serves. Like the polarity lexicon, cues decide nothing by themselves: each cue group
// becomes one feature ("CUE_food") whose link to a label the model learns from examples. They let a
// few hundred examples generalise to words the examples never contained ("bitterballen", "lasagne"),
// which matters most before a customer has made any corrections.
//
// Dutch writes compounds as one word, with the head last ("varkenshaas", "huiswijn",
// "personeelsbeleid"), so for Dutch a word also matches when it ENDS in a cue of 4+ letters.

export const CUES: Record<string, { nl: readonly string[]; en: readonly string[] }> = {
  food: {
    nl: [
      'eten', 'gerecht', 'gerechten', 'gerechtje', 'maaltijd', 'voorgerecht', 'hoofdgerecht', 'nagerecht', 'dessert', 'toetje',
      'menu', 'kaart', 'keuken', 'kok', 'smaak', 'smaakte', 'smaken', 'portie', 'porties', 'vlees', 'vis', 'kip', 'biefstuk', 'steak',
      'entrecote', 'haas', 'varkenshaas', 'lam', 'kalf', 'eend', 'wild', 'zalm', 'tong', 'kabeljauw', 'garnalen', 'scampi', 'mosselen',
      'oesters', 'kreeft', 'sushi', 'soep', 'salade', 'saus', 'friet', 'frietjes', 'patat', 'frites', 'aardappel', 'aardappelen', 'puree',
      'groente', 'groenten', 'rijst', 'pasta', 'spaghetti', 'lasagne', 'pizza', 'burger', 'hamburger', 'broodje', 'brood', 'tosti',
      'kaas', 'ei', 'eieren', 'ontbijt', 'lunch', 'diner', 'buffet', 'taart', 'gebak', 'ijs', 'chocolade', 'mousse', 'tiramisu',
      'pannenkoek', 'pannenkoeken', 'kroket', 'bitterballen', 'snack', 'snacks', 'hapjes', 'tapas', 'amuse', 'vegetarisch', 'vegan',
      'gaar', 'doorbakken', 'rauw', 'kruiden', 'gekruid', 'pittig', 'zout', 'zoet', 'vers', 'diepvries', 'smakelijk', 'lekker', 'heerlijk',
      'croissant', 'stoofvlees', 'spareribs', 'curry', 'noedels', 'wok', 'fondue', 'gourmet', 'barbecue', 'bbq', 'sla', 'tomaat',
    ],
    en: [
      'food', 'dish', 'dishes', 'meal', 'starter', 'starters', 'appetizer', 'main', 'mains', 'dessert', 'desserts', 'pudding', 'menu',
      'kitchen', 'chef', 'cook', 'taste', 'tasted', 'flavour', 'flavor', 'portion', 'portions', 'meat', 'fish', 'chicken', 'beef', 'steak',
      'lamb', 'pork', 'duck', 'salmon', 'tuna', 'shrimp', 'prawns', 'mussels', 'oysters', 'lobster', 'sushi', 'soup', 'salad', 'sauce',
      'fries', 'chips', 'potatoes', 'mash', 'vegetables', 'veg', 'rice', 'pasta', 'spaghetti', 'lasagna', 'pizza', 'burger', 'sandwich',
      'bread', 'toast', 'cheese', 'egg', 'eggs', 'breakfast', 'brunch', 'lunch', 'dinner', 'buffet', 'cake', 'pastry', 'ice', 'chocolate',
      'pancakes', 'snacks', 'tapas', 'vegetarian', 'vegan', 'cooked', 'overcooked', 'undercooked', 'raw', 'spicy', 'salty', 'sweet',
      'fresh', 'frozen', 'tasty', 'delicious', 'bland', 'curry', 'noodles', 'bagel', 'sashimi', 'roll', 'rolls', 'appetizers', 'entree',
      'entrees', 'omelette', 'bacon', 'sausage', 'tacos', 'dumplings',
    ],
  },
  drink: {
    nl: ['drank', 'drankje', 'drankjes', 'drinken', 'wijn', 'wijnen', 'wijnkaart', 'bier', 'biertje', 'pils', 'koffie', 'thee', 'cappuccino', 'cocktail', 'cocktails', 'aperitief', 'frisdrank', 'water', 'sap', 'champagne', 'cava', 'prosecco', 'jenever', 'glas', 'fles'],
    en: ['drink', 'drinks', 'wine', 'wines', 'beer', 'beers', 'pint', 'ale', 'coffee', 'tea', 'cappuccino', 'latte', 'cocktail', 'cocktails', 'juice', 'soda', 'water', 'champagne', 'prosecco', 'glass', 'bottle', 'sake', 'margarita'],
  },
  service: {
    nl: ['bediening', 'service', 'ober', 'obers', 'kelner', 'serveerster', 'serveersters', 'gastheer', 'gastvrouw', 'zaalpersoneel', 'bedienend', 'bediend', 'geserveerd', 'opgediend', 'bestelling', 'geholpen', 'hulp', 'klantenservice', 'afhandeling', 'opgelost', 'oplossing', 'reservering', 'klantvriendelijk', 'gastvrij', 'gastvrijheid', 'attent', 'behulpzaam'],
    en: ['service', 'waiter', 'waiters', 'waitress', 'waitresses', 'server', 'servers', 'host', 'hostess', 'served', 'serving', 'helped', 'help', 'support', 'resolved', 'solution', 'booking', 'reservation', 'attentive', 'helpful', 'hospitality', 'manager'],
  },
  staff: {
    nl: ['personeel', 'medewerker', 'medewerkers', 'medewerkster', 'eigenaar', 'eigenaars', 'uitbater', 'uitbaters', 'baas', 'team', 'vriendelijk', 'onvriendelijk', 'beleefd', 'onbeleefd', 'arrogant', 'verkoper', 'verkoopster', 'monteur', 'arts', 'verpleegkundige', 'dokter', 'huisarts', 'assistente', 'receptie', 'baliemedewerker', 'trainer', 'trainers'],
    en: ['staff', 'employee', 'employees', 'owner', 'owners', 'team', 'friendly', 'unfriendly', 'polite', 'rude', 'arrogant', 'bartender', 'barman', 'salesperson', 'engineer', 'doctor', 'nurse', 'nurses', 'receptionist', 'coach', 'coaches'],
  },
  waiting: {
    nl: ['wachten', 'gewacht', 'wachttijd', 'wachtlijst', 'wachtkamer', 'wacht', 'traag', 'snel', 'vlot', 'lang', 'duurde', 'duurt', 'minuten', 'kwartier', 'uur', 'direct', 'meteen', 'onmiddellijk', 'tijd', 'vertraging', 'later', 'rij'],
    en: ['wait', 'waited', 'waiting', 'queue', 'queued', 'slow', 'quick', 'quickly', 'fast', 'long', 'ages', 'took', 'minutes', 'hour', 'hours', 'immediately', 'promptly', 'delay', 'delayed', 'late'],
  },
  price: {
    nl: ['prijs', 'prijzen', 'prijzig', 'duur', 'dure', 'goedkoop', 'goedkope', 'betaalbaar', 'euro', 'eur', 'rekening', 'kosten', 'kost', 'kostte', 'tarief', 'tarieven', 'huur', 'betalen', 'betaald', 'geld', 'prijskwaliteit', 'prijs-kwaliteit', 'prijs/kwaliteit', 'prijsklasse', 'budget', 'aanbieding', 'korting', 'contributie', 'servicekosten', 'verzendkosten'],
    en: ['price', 'prices', 'priced', 'pricey', 'expensive', 'cheap', 'affordable', 'cost', 'costs', 'bill', 'charge', 'charged', 'paid', 'pay', 'money', 'value', 'rent', 'fee', 'fees', 'rate', 'rates', 'budget', 'discount', 'overpriced', 'euros', 'dollars', 'pounds', 'worth'],
  },
  ambience: {
    nl: ['sfeer', 'sfeervol', 'gezellig', 'gezelligheid', 'ongezellig', 'interieur', 'inrichting', 'ingericht', 'decor', 'decoratie', 'aankleding', 'muziek', 'lawaai', 'lawaaierig', 'rumoerig', 'luidruchtig', 'rustig', 'druk', 'terras', 'uitzicht', 'stoelen', 'zaal', 'ruimte', 'verlichting', 'kaarsjes', 'romantisch', 'knus', 'toilet', 'toiletten', 'schoon', 'vies', 'proper', 'kamer', 'kamers', 'tocht', 'kader', 'setting', 'ambiance', 'stijlvol'],
    en: ['atmosphere', 'ambience', 'ambiance', 'vibe', 'cosy', 'cozy', 'decor', 'decoration', 'interior', 'music', 'noise', 'noisy', 'loud', 'quiet', 'busy', 'crowded', 'terrace', 'patio', 'view', 'views', 'seats', 'seating', 'room', 'space', 'lighting', 'romantic', 'toilets', 'restroom', 'bathroom', 'clean', 'dirty', 'setting', 'decorated', 'garden'],
  },
  location: {
    nl: ['ligging', 'locatie', 'gelegen', 'ligt', 'parkeren', 'parkeerplaats', 'parkeergelegenheid', 'bereikbaar', 'bereikbaarheid', 'station', 'centrum', 'buurt', 'route', 'vinden', 'adres', 'openingstijden', 'telefonisch', 'bellen', 'gebeld', 'telefoon', 'wachtrij'],
    en: ['location', 'located', 'parking', 'park', 'reach', 'reachable', 'station', 'centre', 'center', 'neighbourhood', 'neighborhood', 'area', 'find', 'address', 'hours', 'phone', 'call', 'called', 'hold'],
  },
  communication: {
    nl: ['informatie', 'info', 'uitleg', 'uitgelegd', 'duidelijk', 'onduidelijk', 'brief', 'brieven', 'mail', 'email', 'gemaild', 'bericht', 'berichten', 'reactie', 'antwoord', 'teruggebeld', 'terugbellen', 'communicatie', 'gecommuniceerd', 'afspraken', 'beloofd', 'beloftes', 'update', 'op de hoogte'],
    en: ['information', 'info', 'explanation', 'explained', 'clear', 'unclear', 'letter', 'letters', 'email', 'emails', 'emailed', 'message', 'reply', 'response', 'answer', 'communication', 'communicate', 'promised', 'promise', 'promises', 'update', 'updates', 'informed'],
  },
  online: {
    nl: ['website', 'site', 'app', 'webshop', 'online', 'portaal', 'inloggen', 'formulier', 'bestellen', 'betalen', 'foutmelding', 'systeem', 'makkelijk', 'gemakkelijk', 'eenvoudig', 'ingewikkeld', 'omslachtig', 'overzichtelijk', 'klikken', 'retourneren', 'digid', 'qr'],
    en: ['website', 'site', 'app', 'online', 'portal', 'login', 'log', 'form', 'checkout', 'payment', 'error', 'system', 'easy', 'simple', 'complicated', 'cumbersome', 'clicks', 'returns', 'user-friendly', 'qr'],
  },
  verdict: {
    nl: ['restaurant', 'zaak', 'zaakje', 'adres', 'adresje', 'aanrader', 'aanraden', 'terugkomen', 'terug', 'ervaring', 'avond', 'bezoek', 'aanbevelen', 'moeite', 'waard', 'aangenaam', 'topper', 'tent', 'eetcafe', 'brasserie', 'bistro', 'hotel', 'winkel', 'club', 'vereniging', 'ziekenhuis', 'aanrader!'],
    en: ['restaurant', 'place', 'spot', 'recommend', 'recommended', 'return', 'back', 'again', 'experience', 'evening', 'night', 'visit', 'worth', 'gem', 'joint', 'bistro', 'hotel', 'shop', 'store', 'club', 'hospital', 'overall'],
  },
  workload: {
    nl: ['werkdruk', 'druk', 'drukte', 'onderbezet', 'onderbezetting', 'personeelstekort', 'overwerk', 'overuren', 'stress', 'uitval', 'ziekteverzuim', 'taken', 'hoeveelheid', 'tempo', 'tijdsdruk', 'administratie', 'registratie'],
    en: ['workload', 'busy', 'understaffed', 'understaffing', 'shortage', 'overtime', 'stress', 'stressed', 'burnout', 'sickness', 'tasks', 'pace', 'pressure', 'admin', 'paperwork'],
  },
  manager: {
    nl: ['leidinggevende', 'manager', 'management', 'teamleider', 'directie', 'directeur', 'bestuur', 'mt', 'leiding', 'baas', 'aansturing', 'koers', 'visie', 'beleid', 'besluiten', 'reorganisatie'],
    en: ['manager', 'management', 'leadership', 'lead', 'supervisor', 'boss', 'director', 'board', 'executives', 'direction', 'strategy', 'decisions', 'reorganisation', 'reorganization'],
  },
  colleague: {
    nl: ["collega", "collega's", 'collegas', 'team', 'teamgenoten', 'samenwerking', 'samenwerken', 'afdeling', 'sfeer'],
    en: ['colleague', 'colleagues', 'coworkers', 'co-workers', 'team', 'teammates', 'cooperation', 'collaboration', 'department'],
  },
  pay: {
    nl: ['salaris', 'loon', 'loonsverhoging', 'betaling', 'arbeidsvoorwaarden', 'contract', 'cao', 'pensioen', 'vergoeding', 'reiskosten', 'bonus', 'toeslag', 'uitkering', 'verdienen', 'schaal', 'vast'],
    en: ['salary', 'pay', 'wage', 'wages', 'raise', 'benefits', 'contract', 'pension', 'allowance', 'bonus', 'earn', 'paid', 'compensation'],
  },
  growth: {
    nl: ['opleiding', 'opleidingen', 'cursus', 'cursussen', 'training', 'trainingen', 'leren', 'ontwikkeling', 'ontwikkelen', 'doorgroeien', 'doorgroeimogelijkheden', 'loopbaan', 'carriere', 'promotie', 'functie', 'coaching'],
    en: ['training', 'course', 'courses', 'learn', 'learning', 'development', 'develop', 'career', 'promotion', 'progress', 'progression', 'growth', 'mentoring', 'role'],
  },
  schedule: {
    nl: ['rooster', 'roosters', 'diensten', 'dienst', 'werktijden', 'thuiswerken', 'flexibel', 'verlof', 'vakantie', 'vrije', 'weekend', 'avonden', 'privé', 'gezin', 'kinderen', 'parttime', 'uren'],
    en: ['rota', 'schedule', 'shifts', 'shift', 'hours', 'home', 'remote', 'flexible', 'leave', 'holiday', 'holidays', 'weekend', 'weekends', 'evenings', 'family', 'childcare', 'part-time', 'balance'],
  },
  culture: {
    nl: ['cultuur', 'sfeer', 'open', 'openheid', 'veilig', 'veiligheid', 'waardering', 'respect', 'vertrouwen', 'angst', 'angstcultuur', 'roddel', 'roddelen', 'diversiteit', 'waarden', 'klimaat', 'pesten'],
    en: ['culture', 'atmosphere', 'open', 'openness', 'safe', 'safety', 'appreciation', 'respect', 'trust', 'fear', 'gossip', 'diversity', 'values', 'inclusive', 'bullying', 'toxic'],
  },
  equipment: {
    nl: ['laptop', 'laptops', 'computer', 'computers', 'systeem', 'systemen', 'software', 'kantoor', 'werkplek', 'werkplekken', 'gebouw', 'apparatuur', 'middelen', 'materiaal', 'materialen', 'telefoon', 'wifi', 'airco', 'kantine', 'parkeren', 'bureau'],
    en: ['laptop', 'laptops', 'computer', 'computers', 'system', 'systems', 'software', 'office', 'desk', 'desks', 'workstation', 'building', 'equipment', 'tools', 'materials', 'phone', 'wifi', 'canteen', 'parking', 'ict'],
  },
};
