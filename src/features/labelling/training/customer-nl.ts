// Dutch customer-experience examples, written for this project (see index.ts for the format).
export const CUSTOMER_NL = `
# Ziekenhuis, huisarts, zorg
-|waiting_time|Drie kwartier in de wachtkamer gezeten terwijl ik precies op tijd was.
-|waiting_time,communication|Lang moeten wachten en niemand die even kwam vertellen hoe lang het nog zou duren.
+|staff|De verpleegkundigen op de afdeling waren ontzettend lief voor mijn moeder.
+|staff,product_quality|Arts nam echt de tijd, legde alles rustig uit en de behandeling hielp meteen.
-|staff|De arts keek alleen naar zijn scherm en stelde nauwelijks vragen.
+|waiting_time|Binnen vijf minuten was ik aan de beurt, dat ben ik niet gewend.
+|waiting_time|Niet lang hoeven wachten op de uitslag, fijn.
-|waiting_time|Zes weken wachten op een afspraak bij de dermatoloog is echt te lang.
-|communication|De brief over mijn operatie kwam pas een dag van tevoren binnen.
-|communication|Ik kreeg van drie mensen drie verschillende verhalen over mijn medicatie.
+|communication|Heldere uitleg over de ingreep en wat ik daarna moest doen.
+|communication,staff|De chirurg belde zelf na afloop om te vertellen hoe het gegaan was, heel attent.
-|reachability|De huisartsenpraktijk is 's ochtends bijna niet telefonisch bereikbaar.
-|reachability|Parkeren bij het ziekenhuis is een drama en ook nog duur.
+|reachability|Goed bereikbaar met het openbaar vervoer, bus stopt voor de deur.
-|ambience|De kamer was vies en de douche was niet schoongemaakt.
+|ambience|Mooie lichte kamers en alles was brandschoon.
-|ambience|Veel lawaai op de zaal, ik heb drie nachten nauwelijks geslapen.
-|product_quality|Het eten in het ziekenhuis was koud en smakeloos.
+|product_quality|De fysiotherapie heeft me echt weer op de been geholpen.
-|product_quality|Na de behandeling had ik meer klachten dan ervoor.
~|staff,waiting_time|Heel vriendelijke assistente, maar ik zat wel een uur te wachten.
~|product_quality,communication|Operatie goed verlopen, alleen de nazorg en informatie daarna was rommelig.
+|service|Ik voelde me serieus genomen en er werd echt naar me geluisterd.
-|service|Mijn klacht over de rekening is na twee maanden nog steeds niet behandeld.
+|service,staff|De receptie regelde meteen een rolstoel voor mijn vader, super behulpzaam.
-|staff|De baliemedewerker was kortaf en keek me niet eens aan.
+|other|Prima ziekenhuis, ik zou het iedereen aanraden.
-|ease_of_use|Het patiëntenportaal is onoverzichtelijk en ik kan mijn uitslagen niet vinden.
+|ease_of_use|Afspraak verzetten via de app ging heel makkelijk.
-|ease_of_use|Inloggen met DigiD lukt steeds niet in de app van het ziekenhuis.
+|staff|Zeer deskundige specialist die precies wist waar hij het over had.
-|waiting_time|Op de spoedeisende hulp vier uur gewacht met een gebroken pols.
+|waiting_time,service|Alles liep op rolletjes, op tijd geholpen en snel weer naar huis.
0|other|Ik kom hier eens per jaar voor controle.
-|price|De eigen bijdrage voor de tandarts is veel te hoog voor wat er gedaan is.
~|staff,ambience|Lieve verpleging maar de afdeling is verouderd en krap.
+|staff,communication|Mijn huisarts luistert goed en legt alles duidelijk uit.
-|communication|Uitslag was al een week bekend, maar niemand die me belde.
+|product_quality|De zorg in het hospice was liefdevol en van hoge kwaliteit.
-|service|Ik werd van het kastje naar de muur gestuurd tussen de poli en de apotheek.
+|service|Apotheek had mijn medicijnen al klaarliggen toen ik kwam.
-|waiting_time|De apotheek had mijn medicijnen weer niet op voorraad, twee dagen wachten.
+|staff|Geen klachten over het personeel, iedereen was even aardig.
+|other|Geen klachten, alles naar wens.
-|staff|Nooit eerder zo'n ongeïnteresseerde arts meegemaakt.
+|ambience|Rustige wachtkamer met koffie en goede stoelen.
-|ambience|De wachtkamer is somber en er hangt een muffe lucht.
~|waiting_time,product_quality|De behandeling was goed, maar de wachtlijst van vier maanden is absurd.
0|communication|Ik had graag vooraf een folder gehad over het onderzoek.
+|communication|Je krijgt netjes een sms een dag voor de afspraak.
-|reachability|De poli is alleen tussen negen en tien uur te bellen, onmogelijk naast mijn werk.
+|reachability|Ook 's avonds kon ik de huisartsenpost snel bereiken.

# Woningcorporatie
-|waiting_time|Mijn reparatieverzoek staat al acht weken open.
-|waiting_time,service|De monteur is drie keer niet komen opdagen en ik heb steeds een dag vrij genomen.
+|service,staff|De monteur was snel, netjes en ruimde alles zelf op.
+|waiting_time|Binnen twee dagen was de lekkage verholpen.
-|product_quality|Schimmel in de badkamer komt steeds terug, ze verven er alleen overheen.
-|product_quality|Het huis is slecht geïsoleerd en tocht aan alle kanten.
+|product_quality|Mooie nieuwe keuken geplaatst, keurig werk.
-|price|De huur stijgt elk jaar maar er wordt niets aan onderhoud gedaan.
-|price|De servicekosten zijn flink omhoog gegaan zonder uitleg.
~|price,product_quality|De woning is prima, maar de huur is eigenlijk te hoog voor deze buurt.
-|communication|Ik heb vier keer gemaild over de kapotte verwarming en nooit antwoord gekregen.
-|communication|Over de renovatie hoor je pas iets als de steigers al staan.
+|communication|Duidelijke brief over de werkzaamheden met een planning en een contactpersoon.
-|reachability|Ze zijn telefonisch slecht bereikbaar, je hangt altijd een half uur in de wacht.
-|reachability,waiting_time|Drie kwartier in de wacht gestaan om een storing door te geven.
+|reachability|Je krijgt snel iemand aan de lijn, ook buiten kantoortijden voor spoed.
-|ambience|De portiek is vies en de verlichting in het trappenhuis is al maanden kapot.
-|ambience|Veel overlast van buren en de corporatie doet er niets mee.
+|ambience|De tuin rond het complex wordt goed bijgehouden, ziet er verzorgd uit.
-|service|Mijn klacht over geluidsoverlast wordt gewoon genegeerd.
+|service|Ze hebben mijn probleem met de afvoer echt opgelost, niet alleen afgeplakt.
+|staff|De huismeester is behulpzaam en kent alle bewoners.
-|staff|De opzichter was onbeschoft en gaf mij de schuld van de vochtplek.
+|ease_of_use|Via het huurdersportaal kon ik de reparatie zelf inplannen, heel handig.
-|ease_of_use|Het formulier op de website loopt steeds vast bij het uploaden van een foto.
~|staff,waiting_time|Aardige mensen aan de telefoon maar er gebeurt vervolgens weken niets.
0|other|Ik woon hier pas een half jaar.
+|other|Ik woon hier met plezier.
-|other|Ik voel me totaal niet gehoord als huurder.
-|service|Bij de oplevering werd ik gewoon aan mijn lot overgelaten.
+|service,communication|Fijne begeleiding bij de verhuizing naar een seniorenwoning.
-|product_quality|De lift is al drie keer deze maand kapot, voor ouderen onacceptabel.
-|waiting_time|Al jaren op de wachtlijst voor een grotere woning.
+|price|Voor deze huur krijg je echt een goede woning.
-|communication,service|Afspraken worden niet nagekomen, ze beloven van alles.
+|communication|Ze houden je goed op de hoogte via de bewonersapp.
~|service,reachability|Als je iemand spreekt wordt het goed geregeld, maar het duurt lang voor je iemand spreekt.
-|product_quality|Na de renovatie lekt het dak nog steeds.
+|staff|Vriendelijke bewonersconsulent die echt meedenkt.
-|ambience|Er ligt constant zwerfvuil rond de containers.
0|communication|Graag meer informatie over de nieuwe huurverhoging.

# Winkel en webshop
-|waiting_time|Mijn bestelling is na twee weken nog steeds niet bezorgd.
+|waiting_time|Vandaag besteld, morgen in huis, top.
-|product_quality|De jas ging na twee keer wassen al kapot.
+|product_quality|Goede kwaliteit, de schoenen zitten perfect.
-|product_quality|Het apparaat werkte niet bij aankomst.
+|price|Scherpe prijzen en vaak leuke aanbiedingen.
-|price|Verzendkosten van zeven euro bij zo'n kleine bestelling vind ik te veel.
-|price|Flink duurder dan de concurrent voor precies hetzelfde product.
+|ease_of_use|De website is overzichtelijk en bestellen gaat in een paar klikken.
-|ease_of_use|Afrekenen in de app lukt niet, steeds een foutmelding bij het betalen.
-|ease_of_use|Retourneren is omslachtig, je moet eerst bellen voor een retourlabel.
+|ease_of_use|Retourneren was kinderlijk eenvoudig.
+|service|Kapot product werd zonder gedoe vervangen.
-|service|Ze weigerden mijn garantie terwijl het apparaat nog geen jaar oud is.
+|staff|Verkoper gaf eerlijk advies en praatte me niets aan.
-|staff|Het personeel stond met elkaar te kletsen en hielp niemand.
+|staff,service|Heel behulpzame medewerker die zelfs in het magazijn ging kijken.
-|communication|Geen enkele update over de levering, track en trace werkte niet.
+|communication|Netjes een mail met de bezorgtijd en die klopte ook.
-|reachability|De klantenservice is alleen per chat bereikbaar en die reageert niet.
+|reachability|Winkel is goed bereikbaar en je kunt er gratis parkeren.
-|reachability|Geen parkeerplek te vinden in de buurt van de winkel.
+|ambience|Gezellige winkel, mooi ingericht en lekker rustig.
-|ambience|Rommelige winkel, spullen liggen overal op de grond.
-|waiting_time|Maar één kassa open en een rij tot achterin de winkel.
+|other|Fijne winkel, kom er graag.
-|other|Nooit meer, ik ga ergens anders heen.
~|price,product_quality|Mooie spullen maar wel prijzig.
~|product_quality,waiting_time|Product is prima, levering duurde alleen veel langer dan beloofd.
~|staff,price|Aardige verkoopster, maar de prijzen zijn de laatste tijd flink gestegen.
0|other|Ik heb nog niets besteld dit jaar.
-|service|Bezorger liet het pakket gewoon in de regen bij de voordeur staan.
+|service|Pakket werd afgegeven bij de buren zoals ik had gevraagd.
-|communication,service|Mijn geld is na de retour nog steeds niet terugbetaald en niemand weet waarom.
+|product_quality|Verse groente en fruit, altijd goed.
-|product_quality|Het brood was oudbakken en de kaas beschimmeld.
+|price|Eerlijke prijs voor wat je krijgt.
-|ease_of_use|De zelfscankassa werkt voor geen meter.
+|waiting_time|Nooit lang in de rij bij de kassa.
-|staff|De bezorger was onvriendelijk en gooide het pakket over het hek.
+|product_quality|Ruim assortiment en alles wat ik zocht was er.
-|product_quality|Het assortiment is flink kleiner geworden, veel dingen zijn er niet meer.
-|service|Ik kreeg een verkeerd artikel en moest het zelf terugsturen op mijn kosten.
+|other|Altijd tevreden over deze webshop.

# Restaurant, café, hotel
+|product_quality|Het eten was voortreffelijk, vooral het hoofdgerecht.
-|product_quality|De biefstuk was taai en de friet slap.
+|product_quality|Verse vis, perfect gebakken.
-|product_quality|Soep was lauw en veel te zout.
+|product_quality|Heerlijke wijn bij het menu, goed geadviseerd.
-|product_quality|De koffie smaakte naar niks.
+|product_quality|Lekkere pizza's met een dunne krokante bodem.
-|product_quality|Kleine porties, ik had na afloop nog honger.
+|product_quality|Ruime keuze op de kaart, ook voor vegetariërs.
-|product_quality|Weinig keuze op de kaart en het dessert was uit een pakje.
+|product_quality|Het ontbijt was uitgebreid en alles was vers.
-|product_quality|De cocktails waren waterig.
+|staff,service|Vriendelijke bediening die ons goed hielp met de keuze.
-|staff,service|De serveerster was chagrijnig en gooide de borden op tafel.
+|service|Attente bediening, ons glas was nooit leeg.
-|service|We moesten drie keer vragen om de rekening.
-|service,waiting_time|Na het voorgerecht een uur gewacht op het hoofdgerecht.
-|waiting_time|Lang wachten voordat er überhaupt iemand kwam voor de bestelling.
+|waiting_time|Eten stond binnen een kwartier op tafel.
-|service|Onze reservering was kwijt en we moesten aan de bar eten.
+|service|Ze hielden rekening met mijn allergie zonder dat ik het twee keer hoefde te zeggen.
-|service|De ober vergat de helft van onze bestelling.
+|staff|Het personeel was gastvrij en in voor een grapje.
-|staff|Arrogante eigenaar die geen kritiek kan hebben.
+|price|Prima prijs-kwaliteitverhouding.
-|price|Veel te duur voor wat je krijgt.
-|price|Twaalf euro voor een tosti vind ik echt belachelijk.
+|price|Betaalbaar en toch van goede kwaliteit.
-|price|De wijn was schandalig geprijsd.
~|product_quality,price|Lekker gegeten, maar het is wel aan de prijzige kant.
~|product_quality,service|Eten was goed, de bediening liet te wensen over.
~|ambience,product_quality|Mooie plek aan het water maar het eten was middelmatig.
~|staff,product_quality|Supervriendelijk personeel, helaas was het vlees te gaar.
+|ambience|Gezellige sfeer en mooi ingericht.
-|ambience|Het was er zo lawaaierig dat we elkaar niet konden verstaan.
+|ambience|Prachtig terras met uitzicht op de haven.
-|ambience|Tafeltjes staan zo dicht op elkaar dat je met de buren meeeet.
-|ambience|Koud in het restaurant, we hebben met onze jassen aan gegeten.
+|ambience|Romantische sfeer, ideaal voor een etentje met z'n tweeën.
-|ambience|De toiletten waren smerig.
+|ambience|Alles zag er keurig en schoon uit.
+|other|Wij komen hier zeker nog eens terug.
+|other|Een echte aanrader!
-|other|Hier kom ik nooit meer.
+|other|Fantastische avond gehad.
-|other|Een teleurstellende avond, jammer.
+|other|Top restaurant.
0|-|We kwamen hier op zaterdagavond met z'n vieren.
0|-|We hadden vooraf gereserveerd voor acht uur.
0|-|Het restaurant ligt aan de rand van het centrum.
0|-|Wij kozen het viergangenmenu.
0|product_quality|Ze serveren vooral Italiaanse gerechten.
0|product_quality|Op de kaart staan vis, vlees en een paar vegetarische gerechten.
-|reachability|Moeilijk te vinden en er is geen parkeergelegenheid.
+|reachability|Ligt op loopafstand van het station.
+|product_quality|De desserts zijn echt een aanrader.
-|product_quality|Het brood vooraf was droog en oud.
+|staff|De kok kwam zelf even vragen of het gesmaakt had.
-|service|Ons werd na anderhalf uur gevraagd de tafel vrij te maken.
-|staff|Onbeleefde medewerkers achter de bar.
+|service,staff|Topservice van begin tot eind.
-|service|Het was erg druk en de bediening had het overzicht totaal niet.
+|product_quality,ambience|Heerlijk gegeten in een ontspannen sfeer.
-|product_quality|Mijn pasta was niet gaar en de saus smaakte naar blik.
+|product_quality|Het vlees was mals en precies goed gebakken.
-|price,product_quality|Dure kleine gerechtjes waar je niet vol van wordt.
+|price|Voor zo'n uitgebreid menu is de prijs zeker niet te hoog.
-|price|Niet goedkoop en ook niet bijzonder.
~|price,ambience|Prachtige locatie, wel betaal je daar ook flink voor.
+|service|Bij de receptie van het hotel werd alles snel geregeld.
-|ambience|De hotelkamer rook naar rook en de matras was doorgezakt.
+|ambience|Ruime schone kamer met een heerlijk bed.
-|waiting_time|Bij het inchecken stonden we een half uur in de rij.
-|service|De kamer was bij aankomst nog niet klaar en niemand bood een oplossing.
+|product_quality|Ontbijtbuffet met veel keus en goede koffie.
+|staff|De gastvrouw maakte ons meteen welkom.
-|staff|Personeel sprak nauwelijks Nederlands of Engels, bestellen was lastig.
+|product_quality|Goede huiswijn en lekkere bittergarnituur.
-|product_quality|Het bier was lauw en de glazen vies.
+|other|Heerlijk avondje uit.
-|communication|Op de website stonden andere openingstijden dan in werkelijkheid.
+|ease_of_use|Online reserveren ging snel en eenvoudig.
-|ease_of_use|Bestellen via de QR-code werkte niet, dus toch maar aan de bar.
+|product_quality|De kinderen vonden de pannenkoeken geweldig.
+|staff|Kindvriendelijk personeel, er was zelfs een kleurplaat voor de kleine.
-|ambience|Veel te harde muziek.
+|ambience|Knusse inrichting met een open haard.
0|ambience|Er is een terras aan de achterkant.
~|ambience,service|Leuke zaak, maar de bediening kan sneller.
-|service|Geen excuses toen er een haar in mijn eten zat.
+|service|Toen het gerecht niet goed was kregen we zonder discussie een nieuwe.
-|product_quality|Vette frituurlucht en de kroketten waren nog koud vanbinnen.
+|product_quality|Beste burger die ik in tijden heb gegeten.
+|price|Lunch voor een zacht prijsje.
-|price|Ze rekenden twee euro extra voor een glas kraanwater.

# Sportvereniging, fitness
+|staff|De trainers zijn enthousiast en geven goede aanwijzingen.
-|staff|De trainer heeft alleen aandacht voor de beste spelers.
-|ambience|De kleedkamers zijn vies en de douches zijn koud.
+|ambience|Gezellige club met een fijne sfeer in de kantine.
-|price|De contributie is weer verhoogd en ik zie er niets van terug.
+|price|Voor dit bedrag kun je bijna nergens anders sporten.
-|communication|Wijzigingen in het trainingsschema hoor je pas op het laatste moment.
+|communication|Het bestuur houdt iedereen goed op de hoogte via de nieuwsbrief.
-|product_quality|De toestellen in de sportschool zijn oud en vaak kapot.
+|product_quality|Goede lessen met veel afwisseling.
-|ease_of_use|Inschrijven voor een les via de app is een ramp.
+|ease_of_use|Lessen boeken via de app werkt prima.
-|reachability|Het park is slecht bereikbaar met de fiets en er is weinig parkeerruimte.
-|waiting_time|Je moet lang wachten voor je een apparaat kunt gebruiken, veel te druk.
+|other|Leuke vereniging, mijn kinderen gaan er met plezier heen.
-|service|Opzeggen van het abonnement werd zo moeilijk mogelijk gemaakt.
+|staff|Vrijwilligers doen ontzettend hun best.
-|ambience|Het is altijd overvol en de muziek staat te hard.
~|staff,price|Fijne trainers maar de contributie is fors.
-|communication|Ik heb nooit een reactie gekregen op mijn mail aan de ledenadministratie.
+|ambience|Mooie velden, altijd goed onderhouden.
-|product_quality|De kunstgrasvelden liggen er slecht bij.
0|other|Ik sport hier twee keer per week.
+|service|Bij een blessure werd ik goed geholpen door de fysio van de club.
-|other|De club is te groot geworden en het gaat alleen nog om geld.
+|other|Super club!

# Energie, telecom, verzekering, gemeente, garage
-|waiting_time,reachability|Een uur in de wacht bij de klantenservice.
-|communication|De jaarafrekening is onbegrijpelijk.
+|communication|Duidelijke uitleg over de nieuwe termijnbedragen.
-|price|De tarieven zijn zonder aankondiging verhoogd.
+|price|Goedkoopste aanbieder en nooit storingen gehad.
-|product_quality|Internet valt elke avond uit.
+|product_quality|Stabiele verbinding en snel internet.
-|service|Mijn storing is na vijf telefoontjes nog steeds niet opgelost.
+|service|De storing werd op afstand opgelost terwijl ik aan de lijn was.
+|staff|Zeer kundige medewerker aan de telefoon.
-|staff|De medewerker aan de telefoon was ongeduldig en onderbrak me steeds.
-|ease_of_use|Ik kan mijn meterstanden niet doorgeven, de site geeft steeds een foutmelding.
+|ease_of_use|Met de app zie ik precies wat ik verbruik, erg handig.
-|service|De schade-afhandeling van de verzekering duurde maanden.
+|service|Schade werd binnen een week vergoed, zonder gedoe.
-|communication|Ik krijg steeds brieven met verkeerde bedragen.
-|reachability|Het gemeentehuis is alleen op afspraak open en er zijn nooit plekken.
+|waiting_time|Paspoort kon ik dezelfde week nog ophalen.
-|waiting_time|Acht weken wachten op een vergunning is niet normaal.
+|ease_of_use|Aanvragen via de website was eenvoudig met DigiD.
-|staff|De ambtenaar aan de balie was bot en ongeïnteresseerd.
+|service|De garage belde voordat ze extra werk gingen doen, heel netjes.
-|price|De rekening van de garage was veel hoger dan de offerte.
+|product_quality|Auto loopt weer als een zonnetje.
-|product_quality|Na de APK-beurt ging hetzelfde lampje weer branden.
~|service,price|Goed geholpen, maar het uurtarief is aan de hoge kant.
-|communication|Niemand laat iets weten als de monteur later komt.
+|staff|Vriendelijke en geduldige monteur die alles uitlegde.
-|service|Overstappen naar een andere aanbieder werd expres moeilijk gemaakt.
+|other|Al jaren tevreden klant.
-|other|Zo snel mogelijk weg bij deze partij.

# Algemeen, kort, zonder onderwerp
+|other|Prima.
+|other|Alles goed.
+|other|Gewoon goed.
+|other|Zeer tevreden.
+|other|Ik ben erg tevreden.
-|other|Niet tevreden.
-|other|Slecht.
-|other|Erg teleurgesteld.
+|other|Doe zo door!
0|-|n.v.t.
0|-|Geen opmerkingen.
0|-|Niets aan toe te voegen.
0|-|Weet ik niet.
0|-|Geen idee.
0|other|Gemiddeld, niet goed en niet slecht.
0|other|Het was oké.
~|other|Soms goed, soms minder.
+|other|Ik raad het iedereen aan.
-|other|Ik zou het niemand aanraden.
+|other|Het was geweldig.
-|other|Nee, absoluut niet goed.
+|other|Een dikke negen!
-|other|Een onvoldoende, helaas.
0|other|Er kan altijd iets beter.
+|other|Niks op aan te merken.
+|other|Geen enkel probleem gehad.
-|other|Het kan allemaal een stuk beter.
0|-|Zie vorige antwoord.
# Restaurant, café, hotel (meer)
+|product_quality|De stoofpot was precies zoals mijn oma hem maakte.
+|product_quality|Goed gevulde soep met veel groenten.
-|product_quality|De salade bestond vooral uit sla en een paar plakjes komkommer.
+|product_quality|Het lamsvlees smolt op je tong.
-|product_quality|De mosselen waren zanderig en een deel was niet open.
+|product_quality|Krokante frietjes en huisgemaakte mayonaise, lekker.
-|product_quality|Mijn zalm was droog en veel te lang gebakken.
+|product_quality|Verrassend lekkere vegetarische gerechten.
-|product_quality|De saus was pakjessaus, dat proef je meteen.
+|product_quality|De kaasplank was royaal en goed op temperatuur.
-|product_quality|Ijs was half gesmolten toen het op tafel kwam.
+|product_quality|Mooi opgemaakte borden en alles was op smaak.
-|product_quality|Het vlees was aangebrand en de groenten waren nog hard.
+|product_quality|De sushi was vers en mooi gepresenteerd.
-|product_quality|Wat ik bestelde leek in niets op de foto op de kaart.
+|product_quality|Goede wijnkaart met ook betaalbare flessen.
-|product_quality|De huiswijn was zuur.
+|product_quality|Lekkere verse muntthee met honing.
-|product_quality|Het stokbrood was van gisteren.
+|product_quality|Het dessert was een feestje.
0|product_quality|Ik nam de kip en mijn vriendin de vis.
0|product_quality|Het menu wisselt elk seizoen.
0|product_quality|Er is een apart kindermenu.
0|price|Een driegangenmenu kost hier rond de veertig euro.
0|ambience|Binnen is plaats voor ongeveer dertig mensen.
+|staff|De ober kende de wijnen op zijn duimpje.
-|staff|De serveerster deed alsof we haar stoorden.
+|staff|Hartelijk ontvangen door de eigenaar zelf.
-|staff|De eigenaresse was onvriendelijk toen we naar de rekening vroegen.
+|service|Ondanks de drukte werden we snel en correct bediend.
-|service|Onze drankjes kwamen pas na twintig minuten.
-|service|De bestelling klopte niet en er kwam geen excuus.
+|service|We kregen een plekje bij het raam zoals gevraagd.
-|service|Vijf keer moeten zwaaien voordat iemand ons zag.
+|service|Op tijd bijgeschonken zonder dat je erom hoeft te vragen.
-|service|Borden werden weggehaald terwijl mijn man nog aan het eten was.
+|service,staff|Fantastische bediening, heel persoonlijk.
-|service,staff|Het personeel liep rond met een gezicht van oh jee, nog meer klanten.
-|waiting_time|Tussen de gangen zat telkens meer dan een half uur.
+|waiting_time|Het eten kwam vlot op tafel.
-|waiting_time|We zaten een uur voordat het voorgerecht er was.
+|waiting_time|Niet lang hoeven wachten ondanks dat het vol zat.
+|price|De prijzen zijn heel redelijk voor deze kwaliteit.
-|price|Voor dit geld verwacht je wel iets meer.
-|price|Vijf euro voor een kopje koffie, dat is echt te gek.
+|price|Het dagmenu is een koopje.
-|price|Bij de rekening bleek dat er dingen op stonden die we niet besteld hadden.
-|price|De porties zijn klein en de prijzen hoog.
+|price|Goede prijs-kwaliteit, we betaalden minder dan verwacht.
~|price,product_quality|Kwaliteit is in orde maar het blijft fors aan de prijs.
+|ambience|Stijlvol interieur en zachte muziek op de achtergrond.
-|ambience|Het rook er naar frituurvet.
+|ambience|Mooi ingerichte zaak met veel planten en licht.
-|ambience|Kale ruimte zonder enige sfeer, net een kantine.
+|ambience|Lekker zitten op het zonnige terras.
-|ambience|Het tafelkleed was vlekkerig en het bestek vies.
-|ambience|Tl-verlichting en plastic stoelen, niet gezellig.
+|ambience|Het uitzicht over de rivier is prachtig.
~|ambience,product_quality|Leuk ingericht, maar het eten kan beter.
~|product_quality,staff|Het eten viel tegen, maar de bediening was erg vriendelijk.
~|service,product_quality|Heerlijke gerechten, alleen de bediening was wat afwezig.
~|price,ambience|Gezellige zaak, wel aan de dure kant.
+|other|We hebben een topavond gehad, zeker voor herhaling vatbaar.
+|other|Een adresje om te onthouden.
-|other|Dit restaurant is zijn goede naam niet meer waard.
-|other|Het was de eerste en de laatste keer.
+|other|Alles was dik in orde.
-|other|Een avond om snel te vergeten.
+|other|Een echte aanrader voor wie van lekker eten houdt.
-|other|Geen aanrader.
+|other|Wij waren hier niet voor het eerst en zeker niet voor het laatst.
-|other|Dit was niet wat we ervan verwacht hadden.
0|-|Mijn schoonouders hadden dit adres aangeraden.
0|-|We waren er voor een verjaardag.
0|-|De zaak is onlangs overgenomen door een nieuwe eigenaar.
0|-|We hebben de auto in de straat geparkeerd.
-|reachability|Telefonisch reserveren lukte niet, er nam nooit iemand op.
+|reachability|Gratis parkeren voor de deur, erg handig.
-|reachability|De ingang is slecht te vinden en niet rolstoeltoegankelijk.
+|service|Zelfs op maandag open, fijn.
-|communication|Op de site stond dat ze open waren, maar we stonden voor een dichte deur.
+|communication|Goede uitleg over de gerechten door de bediening.
+|product_quality|De koffie is hier echt top.
-|product_quality|Het bier was niet koud genoeg.
+|product_quality|Heerlijke huisgemaakte appeltaart bij de koffie.
-|product_quality|De friet was slap en lauw.
+|product_quality|Niets op aan te merken, alles was perfect bereid.
-|product_quality|Het vlees was niet mals en zat vol pezen.
+|staff|Jonge enthousiaste bediening die graag advies gaf.
-|staff|Ongeïnteresseerd personeel dat liever op zijn telefoon keek.
+|ambience|Kindvriendelijk, met een speelhoek voor de kleintjes.
-|ambience|Veel te krap, je zat met je ellebogen tegen elkaar.
+|other|Prima adres voor een snelle hap.
-|other|Ik snap de goede recensies echt niet.
+|other|Hier ga je niet snel weg zonder te genieten.
0|other|Een gewoon eetcafé, niets bijzonders.
~|other|Sommige dingen waren top, andere minder.

# Overig (meer)
-|waiting_time,communication|Mijn pakket ligt al een week bij het sorteercentrum en niemand weet iets.
+|service|Ik belde met een vraag en die werd direct beantwoord.
-|service|Mijn vraag werd niet begrepen en ik werd steeds doorverbonden.
+|staff|Beleefde en geduldige medewerkers, ook toen ik boos was.
-|staff|Ik voelde me behandeld als een nummer.
+|product_quality|De nieuwe badkamer is prachtig geworden.
-|product_quality|De verwarming doet het al weken niet goed.
+|ease_of_use|Alles kon ik online regelen, geen papierwerk.
-|ease_of_use|Je moet drie formulieren invullen voor één simpele vraag.
-|price|Wat een prijsstijging, ik betaal nu bijna het dubbele.
+|price|Netjes binnen de offerte gebleven.
+|communication|Snel antwoord op mijn mail, keurig.
-|communication|Er werd niet teruggebeld terwijl dat wel was toegezegd.
-|reachability|Alleen bereikbaar via een duur 0900-nummer.
+|reachability|De balie is elke dag open, ook op zaterdag.
+|waiting_time|Geen wachttijd, ik kon meteen terecht.
-|waiting_time|Na drie maanden nog steeds geen nieuwe afspraak.
+|other|Ik heb niets te klagen.
-|other|Dat kan echt een stuk beter.
# Alledaagse lof en klachten in horeca, winkels en dienstverlening (issue 12)
+|other|Leuke zaak, we komen zeker terug.
+|other|Echt een aanrader voor iedereen.
+|other|Een van mijn favoriete adresjes in de stad.
+|other|Altijd weer de moeite waard.
+|other|We hebben een heerlijke avond gehad.
+|other|Zeker voor herhaling vatbaar.
+|other|Niets dan lof, ga zo door!
-|other|Nooit meer, wat een teleurstelling.
-|other|Hier kom ik niet meer terug.
-|other|Al met al een tegenvallend bezoek.
0|other|We waren er op een zaterdagavond met vier personen.
0|other|Ik ben al een paar jaar klant.
+|product_quality|Alles wat we aten was vers en vol van smaak.
+|product_quality|Mooi opgemaakte gerechten die ook nog heerlijk smaakten.
+|product_quality|Royale porties en uitstekende kwaliteit.
+|product_quality|Het nagerecht was het hoogtepunt van de avond.
+|product_quality|Het product is van prima kwaliteit en werkt nog steeds perfect.
-|product_quality|Het eten was flauw en lauw.
-|product_quality|Mijn biefstuk was taai en droog.
-|product_quality|Kleine porties en niks bijzonders.
-|product_quality|Het apparaat was binnen een week kapot.
+|service|Snelle en attente bediening.
+|service|Ze deden echt hun best om ons te helpen.
+|service,staff|Het personeel was gastvrij en we voelden ons welkom.
+|service|Mijn probleem werd meteen opgelost.
-|service|We moesten drie keer om de rekening vragen.
-|service|Niemand kwam kijken of alles naar wens was.
-|service,staff|De serveerster was onbeleefd en negeerde ons.
-|service|Mijn probleem is nog steeds niet opgelost.
+|waiting_time|Het eten stond snel op tafel.
-|waiting_time|We hebben meer dan een uur op het hoofdgerecht gewacht.
-|waiting_time|Twintig minuten op de bestelling gewacht.
-|waiting_time,price|Traag geleverd en de verzendkosten waren hoog.
+|price|Zeer redelijke prijzen voor deze kwaliteit.
+|price|Voor dit geld krijg je echt veel.
-|price|De tarieven zijn dit jaar flink gestegen.
-|price|Ze hadden dingen op de rekening gezet die we niet besteld hadden.
+|ambience|Gezellige sfeer en leuke muziek.
+|ambience|Mooi ingericht en lekker rustig.
-|ambience|Het was zo lawaaierig dat we elkaar niet konden verstaan.
-|ambience|De tafels staan veel te dicht op elkaar.
~|product_quality,service|Het eten was prima, maar de bediening was erg traag.
~|product_quality,price|Lekker gegeten, maar wel aan de prijzige kant.
~|ambience,product_quality|Mooie plek, maar het eten viel tegen.
~|staff,waiting_time|Vriendelijk personeel, maar we moesten lang wachten.
+|product_quality,service|Uitstekend eten en even goede service.
+|communication,service|Heldere informatie vooraf en de medewerkers dachten goed mee.
+|communication|Duidelijke uitleg en goed op de hoogte gehouden.
-|communication|Niemand liet ons weten dat de keuken eerder sloot.
+|service|Top geholpen, hartelijk dank.
-|product_quality,service|Koud eten en trage bediening.
-|communication|De communicatie over de verbouwing liet te wensen over.
+|communication|De communicatie rond de levering verliep soepel.
+|communication,staff|Fijne communicatie met de monteur, hij hield me steeds op de hoogte.
-|communication|Slechte communicatie tussen de afdelingen onderling.

# Meer alledaagse formuleringen (issue 12, tweede ronde): aanraden of afraden, terugkomen of niet, lof
# zonder sterk woord, ontkende lof, "niet slecht", neutrale feiten, lof en kritiek naast elkaar (ook Vlaams).
+|other|Hier kom ik graag nog eens.
+|other|Ons vaste adresje als we in de buurt zijn.
+|other|Een echte ontdekking, blij dat we het gevonden hebben.
+|other|Moet je echt eens geprobeerd hebben.
+|other|Zeker een bezoekje waard.
+|other|Je zal er geen spijt van hebben.
+|other|Een tien met een griffel.
+|other|Wat ons betreft vijf sterren.
+|other|Zo hoort het.
+|other|Chapeau voor het hele team.
+|other|Petje af voor de eigenaars.
+|other|Doe zo verder!
+|other|Al jaren vaste klant en nog steeds even tevreden.
+|other|Beter dan verwacht, echt een meevaller.
+|other|Het overtrof al onze verwachtingen.
+|other|Met een glimlach naar huis gegaan.
+|other|Dank jullie wel voor de fijne avond.
+|other|Alles was tot in de puntjes verzorgd.
+|other|Hier zit je altijd goed.
+|other|We gaan er blindelings opnieuw naartoe.
+|other|Niets dan lof.
+|other|Een adres om te onthouden.
+|other|Top zaak, echt waar.
-|other|Blijf hier weg, er zijn betere zaken in de buurt.
-|other|Bespaar je de moeite.
-|other|Voor ons was het de eerste en de laatste keer.
-|other|Zonde van ons geld en onze avond.
-|other|Dit was echt een afknapper.
-|other|Het is niet meer wat het geweest is.
-|other|Vroeger was het hier veel beter.
-|other|Een grote teleurstelling van begin tot eind.
-|other|Wie dit een goed restaurant noemt, weet niet waar hij het over heeft.
-|other|Echt een toeristenval.
-|other|Ik snap niet waarom mensen hier zo lovend over zijn.
-|other|Eén ster is nog te veel.
-|other|Ik had beter eerst de recensies gelezen.
-|other|Dit verdient geen tweede kans.
-|other|We hadden beter ergens anders kunnen gaan.
-|other|Mijn advies: niet doen.
-|other|Je bent gewaarschuwd.
-|other|Onze avond was volledig verpest.
0|other|We waren hier voor een verjaardag.
0|other|Het ligt op de hoek naast de bakker.
0|other|Ze zijn open vanaf acht uur 's ochtends.
0|other|We waren met zes personen.
0|other|Ik was hier jaren geleden al eens geweest.
0|other|De kaart wisselt per seizoen.
0|other|Je kunt alleen contant betalen.
0|other|Ik heb op een dinsdag telefonisch besteld.
0|other|We hadden via de website gereserveerd.
0|other|Het is een klein familiebedrijf.
0|other|Afrekenen doe je aan de kassa.
0|other|Ik ben naar het filiaal in het centrum geweest.
0|other|Op zondag zijn ze gesloten.
+|product_quality|Elke hap was een feest.
+|product_quality|Alleen de soep is al de moeite waard.
+|product_quality|Neem zeker het dessert, je zal het niet beklagen.
+|product_quality|Het brood wordt elke ochtend vers gebakken en dat proef je.
+|product_quality|Mooi evenwicht in de smaken.
+|product_quality|Beste koffie die ik in lang gedronken heb.
+|product_quality|Ruime keuze aan wijnen en bieren.
+|product_quality|Grote porties, niemand ging met honger naar huis.
+|product_quality|Precies gebakken zoals ik had gevraagd.
+|product_quality|Het vlees smolt op de tong.
+|product_quality|Je proeft dat ze met goede producten werken.
+|product_quality|Het apparaat doet precies wat beloofd werd.
+|product_quality|Stevig gemaakt, dit gaat jaren mee.
+|product_quality|De reparatie is goed uitgevoerd, alles werkt weer.
+|product_quality|Helemaal niet slecht voor een snelle hap.
+|product_quality|Eten was eigenlijk best goed.
+|product_quality|Degelijk eten, niks op aan te merken.
+|product_quality|Superlekker gegeten.
+|product_quality|Een aanrader: de huisgemaakte kroketten.
+|product_quality|Origineel bereid en mooi gepresenteerd.
-|product_quality|De vis was veel te lang gebakken en droog.
-|product_quality|De saus had geen enkele smaak.
-|product_quality|Mijn soep was amper warm.
-|product_quality|De salade zag eruit alsof ze er al de hele dag stond.
-|product_quality|De frietjes waren slap en de burger was vanbinnen nog rauw.
-|product_quality|Veel te zout, ik heb het laten staan.
-|product_quality|Alles smaakte hetzelfde.
-|product_quality|Het leek in niets op de foto.
-|product_quality|De porties worden steeds kleiner.
-|product_quality|De kwaliteit is flink achteruitgegaan.
-|product_quality|Niet goed, lang niet.
-|product_quality|Het eten was deze keer niet geweldig.
-|product_quality|De kaart is erg beperkt.
-|product_quality|De helft van de gerechten was niet beschikbaar.
-|product_quality|Het brood was oud.
-|product_quality|Er zat een haar in mijn eten.
-|product_quality|Het shirt was na één wasbeurt al kapot.
-|product_quality|Het pakket kwam beschadigd aan.
-|product_quality|De kwaliteit wisselt sterk, soms goed, vaak niet.
-|product_quality|Diepvriesspul uit de magnetron.
-|product_quality|De wijn was niet te drinken.
-|product_quality|Dit was echt niet eetbaar.
-|product_quality|Gewoon doorsnee, niets bijzonders.
0|product_quality|Ik nam de vis van de dag.
0|product_quality|Ontbijt wordt geserveerd tot elf uur.
0|product_quality|Er staan een paar vegetarische gerechten op de kaart.
0|product_quality|Ik heb de grote versie besteld.
+|service|Ze doen echt hun best voor de klant.
+|service|Niets was te veel gevraagd.
+|service|Ze wisten nog wie we waren van de vorige keer.
+|service|Ons glas was nooit leeg.
+|service|Ze hielpen me kiezen en gaven goed advies.
+|service|Uitstekende service van begin tot eind.
+|service|Bediening met de glimlach.
+|service|Ze deden net dat beetje extra.
+|service|We werden goed verzorgd.
+|service|Attent maar nooit opdringerig.
+|service|Geen probleem om het gerecht aan te passen voor mijn allergie.
+|service|Vlotte en correcte bediening.
-|service|Drie keer moeten vragen om de rekening.
-|service|We moesten steeds zelf iemand roepen.
-|service|Onze bestelling was vergeten.
-|service|We kregen de verkeerde gerechten.
-|service|Ze weigerden mijn bestelling aan te passen.
-|service|Ze wilden het kapotte product niet terugnemen.
-|service|Niemand bood zijn excuses aan voor de vergissing.
-|service|De service is niet wat je bij deze prijs mag verwachten.
-|service|De borden werden zonder een woord neergezet.
-|service|We werden weggejaagd omdat ze de tafel nodig hadden.
-|service|Ze ruimden af terwijl we nog aan het eten waren.
-|service|De bediening was maar zozo.
-|service|Trage en chaotische bediening.
-|service|Van bediening was nauwelijks sprake.
+|staff|De obers zijn echte vakmensen.
+|staff|De eigenaar doet het met hart en ziel.
+|staff|De jongen aan de kassa was erg geduldig met mij.
+|staff|De barman weet waarover hij praat.
+|staff|Het personeel is altijd opgewekt en gastvrij.
+|staff|De monteur legde alles uit zonder me dom te laten voelen.
-|staff|De ober zuchtte toen we iets vroegen.
-|staff|De zaakvoerder ging in discussie in plaats van te luisteren.
-|staff|De gastvrouw was uit de hoogte.
-|staff|Het personeel stond met elkaar te praten en negeerde de klanten.
-|staff|Hij was aan de telefoon erg kortaf.
-|staff|De man aan de balie deed neerbuigend.
-|staff|Het personeel keek verveeld en had geen zin om te helpen.
-|staff|De uitbater dacht dat hij de baas van de wereld was.
+|waiting_time|We konden meteen aan tafel.
+|waiting_time|Binnen tien minuten stond het eten op tafel.
+|waiting_time|Geen wachttijd.
+|waiting_time|De levering kwam eerder dan beloofd.
+|waiting_time|Dezelfde dag nog gerepareerd.
-|waiting_time|Veertig minuten voor iemand onze bestelling kwam opnemen.
-|waiting_time|De gerechten kwamen met lange tussenpozen.
-|waiting_time|Onze levering was een uur te laat.
-|waiting_time|We wachtten en wachtten, maar er kwam niemand.
-|waiting_time|Pas na drie weken kreeg ik een antwoord.
-|waiting_time|De rij stond tot buiten en schoof nauwelijks op.
-|waiting_time|Anderhalf uur op ons hoofdgerecht gewacht.
+|price|Prima prijs voor wat je krijgt.
+|price|Betaalbaar en goed.
+|price|De lunchformule is een koopje.
+|price|Hier eet je lekker zonder dat het veel kost.
+|price|De prijzen zijn meer dan correct.
+|price|Goedkoper dan elders en minstens even goed.
+|price|Prijs-kwaliteit zit het helemaal goed.
-|price|Je betaalt voor de naam, niet voor de kwaliteit.
-|price|Acht euro voor een klein glas wijn is gortig.
-|price|Veel te duur voor wat het is.
-|price|De rekening viel veel hoger uit dan verwacht.
-|price|Ze rekenen overal extra voor.
-|price|Overal verborgen kosten.
-|price|Weer duurder geworden zonder dat er iets beter is.
-|price|Prijs en kwaliteit staan hier niet in verhouding.
0|price|Een hoofdgerecht kost ongeveer twintig euro.
0|price|Er is een vast menu voor de lunch.
0|price|De prijzen liggen in de lijn van andere zaken hier.
+|ambience|Prachtig uitzicht over de haven.
+|ambience|Heerlijke tuin om in de zon te zitten.
+|ambience|De muziek stond precies goed, niet te hard.
+|ambience|Warm en uitnodigend interieur.
+|ambience|De zaak heeft veel karakter.
+|ambience|Overal schoon en opgeruimd.
+|ambience|Het voelt er als thuiskomen, heel huiselijk.
+|ambience|Leuk ingericht met oog voor detail.
-|ambience|Zo luid dat je elkaar niet kon verstaan.
-|ambience|Het rook er naar oud frituurvet.
-|ambience|Het was ijskoud binnen.
-|ambience|Plakkerige tafels en een vuile vloer.
-|ambience|Het interieur is versleten en gedateerd.
-|ambience|Ongemakkelijke stoelen en fel licht.
-|ambience|Veel te warm en benauwd binnen.
0|ambience|Het restaurant heeft twee verdiepingen en een terras.
0|ambience|Er is een speelhoek voor kinderen.
+|reachability|Vlak bij het station, heel handig.
+|reachability|Makkelijk te bereiken en altijd plek om te parkeren.
-|reachability|Moeilijk te vinden, de ingang zit aan de achterkant.
-|reachability|Parkeren in de buurt is peperduur.
-|reachability|Ze nemen nooit de telefoon op.
-|reachability|Ver van het centrum en geen bus in de buurt.
+|ease_of_use|Bestellen via de app ging heel eenvoudig.
+|ease_of_use|Terugsturen was simpel geregeld.
+|ease_of_use|Betalen ging snel en makkelijk.
-|ease_of_use|Het formulier op de website gaf steeds een foutmelding.
-|ease_of_use|Ik heb lang moeten zoeken hoe ik kon opzeggen.
-|ease_of_use|Online reserveren lukte niet.
+|communication|Ze belden ons om te laten weten dat ze wat later waren.
+|communication|Duidelijke informatie over wat je kunt verwachten.
+|communication|Snel en vriendelijk antwoord op mijn mail.
-|communication|Niemand zei ons dat de helft van de kaart op was.
-|communication|De extra kosten werden vooraf niet gemeld.
-|communication|Op mijn mails werd nooit gereageerd.
-|communication|Ze zouden terugbellen maar dat is nooit gebeurd.
-|communication|Onze reservatie was niet genoteerd.
~|product_quality,service|Het eten was prima, maar de bediening liet te wensen over.
~|product_quality,price|Lekker gegeten, al is het wel aan de dure kant.
~|ambience,product_quality|Mooie zaak, jammer van het eten.
~|product_quality,waiting_time|Heerlijke gerechten, maar lang moeten wachten op het dessert.
~|price,product_quality|Goedkoop, maar daar is ook alles mee gezegd.
~|staff,service|Het personeel doet zijn best, maar ze zijn duidelijk met te weinig.
~|product_quality|Het voorgerecht was top, het hoofdgerecht viel tegen.
~|product_quality|Sommige gerechten waren heerlijk, andere vergeet je snel.
~|ambience,service|Gezellig terras, maar niemand kwam onze bestelling opnemen.
~|service,price|Vriendelijke bediening, maar de prijzen zijn aan de hoge kant.
~|product_quality,ambience|Het eten is het waard, ook al is het er wat lawaaierig.
~|staff,product_quality|Het personeel was heel lief, maar het eten was maar gemiddeld.
~|product_quality|Goede pizza, maar de pasta was te gaar.
~|other|Leuk concept, maar het loopt nog niet helemaal.
~|product_quality,waiting_time|Heerlijk eten, toen het eindelijk kwam.
-|product_quality|Het eten was oké, maar meer ook niet.
-|product_quality|Eetbaar, maar daar houdt het op.
-|other|Niet slecht, maar ook niet goed, en te duur.
+|product_quality|Niet de goedkoopste, maar de kwaliteit maakt veel goed.
+|other|Wat uit de route, maar de omweg zeker waard.
+|product_quality|Eenvoudig eten, maar echt goed klaargemaakt.
+|service|Druk die avond, maar ze hebben ons toch goed verzorgd.
0|service|De ober vroeg of we allergieën hadden.
0|service|De rekening wordt aan tafel gebracht.
0|waiting_time|Het duurt meestal ongeveer twintig minuten.
+|other|Niets over te klagen.
+|other|Geen enkele klacht van onze kant.
# Derde ronde (issue 12): Vlaamse restaurantrecensies in eigen woorden. Lange zinnen met meerdere
# delen, Vlaamse woorden (lekker gegeten, vriendelijke bediening, prijs-kwaliteit, tegenvaller,
# ondermaats, niet te vreten), en veel neutrale zinnen die alleen vertellen wat er gebeurde (geen
# oordeel, dus geen onderwerp).
+|product_quality|Wij hebben hier echt lekker gegeten, van het aperitiefhapje tot het dessert.
+|product_quality|De garnaalkroketten waren huisgemaakt en goed gevuld.
+|product_quality|Het stoofvlees met frietjes was zoals het hoort: mals en met een volle saus.
+|product_quality|De tongrolletjes in witte wijnsaus waren fijn van smaak.
+|product_quality|Een verrassend menu met gerechten die je niet overal vindt.
+|product_quality|De chef weet wat hij doet, elk bord was mooi in balans.
+|product_quality|Het wild was perfect gebakken en de saus was subtiel.
+|product_quality|Lekkere tapas om te delen, met veel variatie.
+|product_quality|De mosselen waren vlezig en de frietjes krokant.
+|product_quality|Een zalig dessertbord met een beetje van alles.
+|product_quality|Het brood en de tapenade vooraf waren al een voorproefje van wat kwam.
+|product_quality|De wijnsuggestie bij elk gerecht was een schot in de roos.
+|product_quality|Voor een snelle lunch is het slaatje met geitenkaas echt aan te raden.
+|product_quality|Heerlijk verse vis, je proeft dat die 's morgens nog op de markt lag.
+|product_quality|De pizza's komen uit een echte houtoven en dat proef je.
+|product_quality|Alles was met zorg bereid en mooi op het bord gelegd.
+|product_quality|Het vlees was van topkwaliteit en precies zoals gevraagd.
+|product_quality|De sauzen zijn huisbereid en er is keuze genoeg.
+|product_quality|Ruime porties, we konden het bijna niet op.
+|product_quality|Lekker Belgisch bier van het vat en een mooie selectie trappisten.
+|product_quality|Goed gekozen wijnen per glas.
+|product_quality|De kinderen smulden van hun balletjes in tomatensaus.
+|product_quality|Het ontbijt was verzorgd met vers fruit, eitjes en goede koffie.
+|product_quality|Zijn de moeite: de huisgemaakte pralines bij de koffie.
+|product_quality|Het viergangenmenu was van begin tot eind een plezier.
-|product_quality|Het vlees was taai en de frietjes kwamen zo uit de diepvries.
-|product_quality|De soep was flauw en lauw.
-|product_quality|De scampi's lagen in een plas olie en smaakten naar niks.
-|product_quality|Het hoofdgerecht was ondermaats voor een zaak met zo'n naam.
-|product_quality|Het stoofvlees was niet te vreten.
-|product_quality|De pasta zwom in de room en was totaal overgaar.
-|product_quality|Voor een visrestaurant was de vis echt een tegenvaller.
-|product_quality|De mosselen waren klein en er zat veel zand in.
-|product_quality|De kroketten waren vanbinnen nog bevroren.
-|product_quality|Mijn steak was doorbakken terwijl ik saignant had gevraagd.
-|product_quality|Het dessert was duidelijk uit de winkel en niet vers.
-|product_quality|Smakeloze gerechten, alles leek op elkaar.
-|product_quality|De frieten waren slap en vettig.
-|product_quality|De wijn die ze aanraadden had een kurksmaak.
-|product_quality|Veel te kleine porties voor een hoofdgerecht.
-|product_quality|Het slaatje bestond uit wat ijsbergsla met een tomaat.
-|product_quality|De saus was aangebrand en het vlees droog.
-|product_quality|De kwaliteit van de keuken is er flink op achteruitgegaan.
-|product_quality|Het eten was koud toen het op tafel kwam.
-|product_quality|Lauwe koffie en een droog stuk taart.
-|product_quality|De garnituur was ondermaats: drie boontjes en een halve tomaat.
-|product_quality|Van een culinaire ervaring was geen sprake.
-|product_quality|Ik heb al beter gegeten in een snackbar.
-|product_quality|Het vlees had een rare bijsmaak.
0|product_quality|Ik koos de dagschotel, mijn vrouw nam de vol-au-vent.
0|product_quality|Als voorgerecht namen we de carpaccio en de kaaskroketten.
0|product_quality|Het menu bestaat uit een voorgerecht, een hoofdgerecht en een dessert naar keuze.
0|product_quality|De chef werkt met seizoensproducten.
+|service|De bediening was vlot en correct.
+|service|We werden goed opgevangen en kregen meteen een tafel.
+|service|Onze wensen werden zonder morren aangepast.
+|service|Ze hielden rekening met de allergie van onze dochter.
+|service|Alles werd goed uitgelegd bij het opdienen.
+|service|Er werd op tijd bijgeschonken en de borden werden netjes afgeruimd.
+|service|Een bediening die je niet vaak meer ziet: attent en discreet.
+|service|De gerechten werden mooi op tijd opgediend.
+|service|Bij een probleem met de rekening werd het meteen rechtgezet.
+|service|Je voelt je hier echt welkom als klant.
-|service|De bediening was traag en ongeïnteresseerd.
-|service|We moesten zelf onze bestek gaan halen.
-|service|Er werd geen drankkaart gebracht en niemand vroeg of we iets wilden drinken.
-|service|De ober bracht de verkeerde gerechten en deed daar nogal luchtig over.
-|service|Het hoofdgerecht werd opgediend terwijl we nog aan het voorgerecht zaten.
-|service|Geen enkel excuus toen ze onze bestelling vergeten waren.
-|service|De bediening kon ons niet vertellen wat er in de gerechten zat.
-|service|De rekening klopte niet en we moesten zelf aantonen wat er fout was.
-|service|Onze lege glazen bleven de hele avond staan.
-|service|We werden nauwelijks bediend, iedereen liep ons voorbij.
-|service|Onze reservatie was niet doorgegeven en we werden aan een tafeltje bij de deur gezet.
-|service|Bij het afrekenen werd ons nog snel een fles water aangerekend die we niet gehad hadden.
0|service|De ober nam de bestelling op en bracht eerst het water.
0|service|Bij het dessert vroeg de bediening of we koffie wilden.
+|staff|De eigenaar is een echte gastheer die voor iedereen een woordje heeft.
+|staff|Supervriendelijk personeel dat altijd klaarstaat.
+|staff|De gastvrouw ontving ons hartelijk aan de deur.
+|staff|Sympathieke jonge ploeg die het met veel plezier doet.
+|staff|De sommelier gaf met veel kennis uitleg over de wijnen.
+|staff|Een vriendelijke dienster die graag een babbeltje slaat.
-|staff|De uitbaatster was ronduit onbeleefd tegen ons.
-|staff|Het personeel keek ons aan alsof we lastig waren.
-|staff|De ober had duidelijk geen zin in zijn werk.
-|staff|De eigenaar werd kwaad toen we een opmerking maakten.
-|staff|Onvriendelijke diensters die liever met elkaar stonden te praten.
-|staff|De kok kwam uit de keuken roepen dat we niet moesten klagen.
+|waiting_time|We hoefden niet lang te wachten op ons eten.
+|waiting_time|Ondanks de volle zaal stond alles snel op tafel.
-|waiting_time|Meer dan een uur wachten op een hoofdgerecht is niet normaal.
-|waiting_time|We zaten drie kwartier voor er iemand een bestelling kwam opnemen.
-|waiting_time|Tussen het voorgerecht en het hoofdgerecht zat bijna een uur.
-|waiting_time|We hebben twintig minuten aan de toog gestaan voor we geplaatst werden.
-|waiting_time|Op de rekening moesten we nog eens een half uur wachten.
+|price|Zeer correcte prijzen voor wat je krijgt.
+|price|Prijs-kwaliteit is dit een van de beste adressen in de buurt.
+|price|De dagschotel is spotgoedkoop en toch lekker.
+|price|De wijnen zijn eerlijk geprijsd.
+|price|Je eet hier goed voor een democratische prijs.
+|price|Het lunchmenu aan vijftien euro is een schot in de roos.
-|price|De prijzen zijn de pan uit gerezen.
-|price|Zes euro voor een flesje water is pure afzetterij.
-|price|Veel te duur voor wat er op je bord ligt.
-|price|Voor die prijs verwacht je toch iets meer dan dit.
-|price|De supplementen op het menu lopen snel op.
-|price|Prijs-kwaliteit klopt hier niet.
-|price|De rekening was gepeperd voor zo'n middelmatige maaltijd.
-|price|De wijnkaart is schandalig duur.
0|price|Het menu kost zesenveertig euro, zonder dranken.
0|price|Een pint kost hier drie euro.
+|ambience|Prachtig kader in een oude hoeve met een mooie tuin.
+|ambience|Gezellige brasserie met een warm interieur.
+|ambience|Het terras aan de Schelde is bij mooi weer zalig.
+|ambience|Rustige sfeer, je kunt er nog een gesprek voeren.
+|ambience|Smaakvol ingericht, met mooie verlichting en zachte muziek.
+|ambience|Proper sanitair en een ruime zaal.
+|ambience|Knus restaurantje met een open keuken.
+|ambience|Het uitzicht op de markt maakt het helemaal af.
-|ambience|De zaal was ongezellig en veel te fel verlicht.
-|ambience|Het was er zo luid dat we moesten roepen.
-|ambience|De tafeltjes staan op elkaar gepropt.
-|ambience|De toiletten waren vuil en er was geen papier.
-|ambience|Het stonk er naar de frituur.
-|ambience|Het interieur is gedateerd en toe aan een opknapbeurt.
-|ambience|Op het terras zit je pal naast de drukke baan.
-|ambience|Er stond een koude tocht aan onze tafel bij de deur.
0|ambience|Binnen zijn er ongeveer veertig plaatsen en buiten nog een terras.
0|ambience|Het restaurant is ingericht in een oud herenhuis.
+|other|Wij komen zeker terug!
+|other|Een absolute aanrader voor wie van Italiaans eten houdt.
+|other|Een adres om te koesteren.
+|other|Ons nieuw vast adresje in Gent.
+|other|Zeker de moeite om eens te proberen.
+|other|Het was een geslaagde avond.
+|other|Voor ons een van de beste restaurants van de streek.
+|other|Een aanrader voor wie een romantisch etentje zoekt.
+|other|Wij waren zeer tevreden over ons bezoek.
+|other|Hier zit je altijd goed, al jaren.
+|other|Een sterrenzaak onwaardig? Helemaal niet, het was top.
+|other|Een echte aanwinst voor de buurt.
-|other|Dit restaurant zal ik zeker niet aanraden.
-|other|Eens en nooit meer.
-|other|Een zaak om te vermijden.
-|other|Helemaal niet wat we verwacht hadden na alle goede recensies.
-|other|Wat een ontgoocheling, we waren hier vroeger graag.
-|other|Zonde van onze avond.
-|other|Dit was echt een slechte ervaring.
-|other|Ik begrijp niet dat deze zaak nog open is.
-|other|Van een gastronomisch restaurant verwacht ik meer.
-|other|Alles bij elkaar een grote tegenvaller.
-|other|Wie hier gaat eten, is eraan voor de moeite.
+|reachability|Mooi gelegen aan de rand van het bos en makkelijk te bereiken.
-|reachability|Parkeren is er een ramp op zaterdag.
+|reachability|Centraal gelegen, vlak bij de Grote Markt.
0|-|We waren met vier volwassenen en twee kinderen.
0|-|Zaterdagavond hadden we gereserveerd voor acht uur.
0|-|We gingen er eten ter gelegenheid van onze trouwverjaardag.
0|-|Een vriend had ons dit adres aangeraden.
0|-|We kwamen toe rond zeven uur.
0|-|Het was de eerste keer dat we hier kwamen.
0|-|Na de wandeling zijn we hier iets gaan drinken.
0|-|Wij hadden een tafel buiten gevraagd.
0|-|Het restaurant is elke dag open behalve op maandag.
0|-|De zaak werd vorig jaar overgenomen door een jong koppel.
0|-|We waren er op een doordeweekse middag.
0|-|Mijn schoonmoeder werd tachtig en we vierden het hier.
0|-|Ik heb er vorige week met collega's gegeten.
0|-|Het menu verandert elke week.
0|-|Er is ook een zaaltje voor feesten.
0|-|Mijn man nam het vlees, ik de vis.
0|-|Daarna namen we nog een koffie.
0|-|We zijn er na het theater nog binnengesprongen.
0|-|Wij zaten aan een tafel bij het raam.
0|-|Het was een zondagmiddag in december.
0|-|We hebben de fiets voor de deur gezet.
0|-|Ze werken met een vaste kaart en een suggestiebord.
0|-|We hebben geen dessert meer genomen.
0|-|Ik ga hier al een paar jaar, meestal op vrijdag.
0|-|Onderweg naar zee zijn we hier gestopt.
~|product_quality,service|Het eten was lekker, maar de bediening was traag en weinig attent.
~|product_quality,price|Heerlijk gegeten, al moet je er wel flink voor betalen.
~|ambience,product_quality|Prachtig kader, maar het eten was middelmatig.
~|staff,product_quality|De ober was heel vriendelijk, het eten daarentegen een tegenvaller.
~|product_quality|Het voorgerecht was subliem, het hoofdgerecht viel wat tegen.
~|product_quality,waiting_time|De gerechten waren heel goed, alleen het wachten tussen de gangen was te lang.
~|ambience,service|Leuk terras, jammer dat de bediening er niet naar omkeek.
~|product_quality,ambience|Goed eten, maar het was er zo lawaaierig dat we snel vertrokken zijn.
~|price,product_quality|De prijzen zijn zacht, maar de kwaliteit is er ook naar.
~|service,product_quality|Vlotte bediening, maar de frietjes waren koud.
~|product_quality|Lekkere mosselen, de frieten waren wel slap.
~|other|Goed maar niet uitzonderlijk, en we hadden meer verwacht.
-|product_quality,service|Het eten was niet lekker en de bediening was niet beter.
-|service,waiting_time|Lang wachten, vergeten bestelling en geen excuses.
-|product_quality,price|Duur en niet lekker, een slechte combinatie.
-|ambience,product_quality|Vuile tafels, lauw eten, nooit meer.
+|product_quality,service|Lekker gegeten en vriendelijk bediend, wat wil een mens nog meer.
+|product_quality,price|Goed eten aan een correcte prijs.
+|ambience,product_quality|Gezellige zaak met eerlijke, smaakvolle keuken.
+|service,product_quality|Vlotte service, lekkere pizza's en een glimlach erbij.
+|product_quality,staff|Het eten was top en de uitbaters zijn heel sympathiek.
+|other,product_quality|Een aanrader voor wie van vis houdt, alles was vers en goed bereid.
-|product_quality|Het eten was gewoon niet goed, daar valt niets anders over te zeggen.
-|other|Na een uur zijn we opgestaan en vertrokken zonder te eten.
-|service|De ober liet ons weten dat de keuken ging sluiten, om half negen.
-|product_quality|Na het eten hadden we alle twee buikpijn.
+|product_quality|Eerlijk eten, niets te veel en niets te weinig.
+|service|Het personeel liep zich te pletter maar bleef vriendelijk en correct.
0|other|Het is een typische brasserie zoals je er veel hebt.
0|service|Ze werken met een vaste bediening en in het weekend met studenten.
# Verhalende klachten en lof: wat er gebeurde, zonder sterk oordeelwoord (derde ronde).
-|staff|Toen we vroegen of het wat sneller kon, begon de ober tegen ons te roepen.
-|service|Bij aankomst werden we door de eigenaar afgesnauwd omdat we tien minuten te vroeg waren.
-|waiting_time|Om half acht binnen en om tien uur hadden we nog altijd geen hoofdgerecht.
-|service|Toen het eten eindelijk kwam, was de helft van de bestelling fout.
-|product_quality|Na één hap hebben we ons bord teruggestuurd.
-|service|We vroegen om wat extra saus en kregen te horen dat die op was.
-|other|We hebben betaald en zijn zonder dessert vertrokken.
-|service|Bij de rekening bleek dat we het dubbele betaald hadden voor de dranken.
-|staff|Op onze opmerking werd gereageerd met een schouderophalen.
-|service|Onze kinderen kregen hun eten pas toen wij al klaar waren.
-|ambience|In de zomer zit je binnen te puffen, er is geen airco.
-|product_quality|Van de beloofde verse vis was niets te merken.
-|other|We dachten een gezellige avond te hebben, het werd een avond om te vergeten.
-|service|Ze probeerden ons nog een duurdere fles wijn aan te smeren.
-|service|Een kwartier na het sluiten van de keuken werden we al buiten gezet.
-|product_quality|Het leek wel of de kok die dag vrijaf had.
-|other|Wie hier twee keer komt, heeft het zelf gezocht.
-|product_quality|We kregen een bord met vooral saus en heel weinig vlees.
-|service|De ober zette de borden neer en verdween voor de rest van de avond.
-|waiting_time|Pas na drie keer vragen kwam de rekening, een half uur later.
-|service|Het water werd zonder vragen op de rekening gezet, aan vier euro per fles.
-|staff|Het meisje achter de toog was meer met haar gsm bezig dan met de klanten.
-|product_quality|Het dessert was een bolletje ijs met wat spuitroom uit de bus.
-|other|Spijtig, want het zag er vanbuiten zo mooi uit.
+|product_quality|Bij elk gerecht kregen we een woordje uitleg, en elk bord smaakte naar meer.
+|service|Toen mijn glas leeg was, stond er al een nieuw voor ik het kon vragen.
+|staff|De eigenaar kwam aan elke tafel vragen of alles naar wens was.
+|service|Toen bleek dat ons gerecht niet goed was, kregen we meteen een ander en het dessert van het huis.
+|other|Na afloop zijn we met een goed gevoel naar huis gegaan.
+|product_quality|We hebben gesmuld van begin tot eind.
+|other|We hadden niet veel verwacht, maar het werd een heel fijne avond.
+|product_quality|De kaart is klein, maar alles wat erop staat is de moeite.
+|service|Hoewel we zonder reservatie binnenkwamen, werd er toch nog een tafel voor ons vrijgemaakt.
+|staff|De jonge ploeg doet het met veel enthousiasme en dat zie je.
+|product_quality|Voor een eenvoudig café waren de spaghetti en de croque verrassend goed.
+|other|Van het onthaal tot het afscheid: alles klopte.
0|-|De zaak ligt aan een pleintje in het centrum.
0|-|Wij namen het menu van de chef met de bijpassende wijnen.
0|-|We kregen een tafel op de eerste verdieping.
0|-|Vooraf dronken we een aperitief aan de bar.
0|-|Het was er die avond vrij rustig.
0|-|Reserveren kan via de telefoon of de website.
0|-|De keuken is open tot tien uur.
0|-|Ik was er met mijn dochter voor haar verjaardag.
0|-|Het restaurant heeft een Michelinster.
0|-|Er is een grote parking achter het restaurant.
0|-|Wij hadden een bon gekregen voor een etentje hier.
0|-|We hebben er in totaal drie uur gezeten.
0|-|Ze serveren vooral Vlaamse klassiekers.
0|-|Om negen uur vertrokken we naar huis.
0|-|Bij het binnenkomen hingen we onze jassen aan de kapstok.
~|product_quality,service|Het eten was prima in orde, maar we moesten elke keer zelf iemand gaan roepen.
~|product_quality,staff|Niets mis met het eten, maar de ontvangst was koel.
~|ambience,price|Een mooie zaak met een fijne sfeer, alleen zijn de prijzen wat aan de hoge kant.
~|product_quality|De vis was top, de frietjes waren om te vergeten.
0|product_quality|Het eten was niet slecht, maar ook niet echt bijzonder.
0|service|De bediening was correct, niet meer en niet minder.
0|product_quality|Gewoon degelijk eten, zoals je het verwacht in een brasserie.
# Vierde ronde (issue 12): lof en klachten zonder sterk woord, in allerlei sectoren, zoals klanten het
# schrijven ("ik kom hier al jaren", "niemand die het even liet weten"), en feiten zonder oordeel
# (geen onderwerp).
+|other|Ik kom hier al jaren en dat zegt genoeg.
+|other|Ik zou nergens anders meer heen willen.
+|staff|Niets was hun te veel.
+|service|Ze hebben alles uit de kast gehaald om het voor ons te regelen.
+|product_quality|Het doet precies wat het moet doen.
+|other|Morgen zou ik zo weer gaan.
+|other|Ik heb het al aan al mijn vrienden verteld.
+|staff|De mevrouw aan de balie nam alle tijd voor ons.
+|waiting_time|Binnen tien minuten stond ik weer buiten.
+|communication|Ze hielden me bij elke stap op de hoogte.
+|ease_of_use|Een afspraak maken was in een minuut geregeld.
+|price|Minder betaald dan ik had verwacht voor wat we kregen.
+|product_quality|Na drie jaar werkt het nog steeds als nieuw.
+|ambience|Je voelt je meteen thuis als je binnenkomt.
+|service|Ze wisten nog hoe ik heette en wat ik de vorige keer had.
+|service|We werden heel hartelijk ontvangen.
-|service|Ik heb mijn verhaal vijf keer aan vijf verschillende mensen moeten doen.
-|communication|Niemand die het even liet weten dat de afspraak niet doorging.
-|waiting_time|Het pakket kwam een week later dan ze hadden gezegd.
-|product_quality|Na twee dagen deed het al niets meer.
-|price|Er stonden dingen op de rekening die ik nooit had besteld.
-|other|Hoe ze nog bestaan is mij een raadsel.
-|staff|De man achter de balie haalde zijn schouders op en liep weg.
-|service|We moesten maar een andere dag terugkomen.
-|other|Bespaar je het geld en ga ergens anders heen.
-|communication|Op mijn mail van vorige maand wacht ik nog steeds op antwoord.
-|communication|Ik heb drie keer gebeld en ben nog steeds niet teruggebeld.
-|ease_of_use|Ik heb een half uur gezocht waar je kunt opzeggen.
-|service|Ze beloofden mijn geld terug te storten, ik wacht er nog op.
-|price|Voor elk dingetje betaal je extra.
-|product_quality|De helft van de spullen zat niet in de doos.
-|ambience|De kleedkamers waren een zooi en het rook er naar zweet.
-|staff|Hij praatte tegen ons alsof we kleine kinderen waren.
-|waiting_time|Veertig minuten in de wacht voor er iemand opnam.
-|waiting_time|De levering liet veel langer op zich wachten dan afgesproken.
-|other|Voor mij de eerste en de laatste keer.
-|ambience|Je moet bijna roepen om elkaar te verstaan, zo hard staat de muziek.
~|staff,price|Aardige mensen, maar je betaalt je blauw.
~|product_quality,waiting_time|Het product is in orde, alleen duurde het eindeloos voor het er was.
0|-|Ik had maandag besteld en vrijdag opgehaald.
0|-|We gingen er naartoe voor de verjaardag van mijn moeder.
0|-|Mijn man nam de vis en ik de soep.
0|-|Ik ben sinds vorig voorjaar klant.
# Vierde ronde, tweede deel: de ontvangst en de zaak zelf (lawaai, vuil, krap, gezellig) en algemene
# oordelen over een zaak, in eigen woorden.
+|service|Bij binnenkomst werden we meteen hartelijk begroet.
-|service|Bij binnenkomst keek niemand op of om.
+|service|Er werd goed op ons gelet zonder dat het opdringerig werd.
-|service|We moesten zelf achter alles aan, niemand kwam vragen of we nog iets wilden.
-|service|Toen we iets vroegen, kregen we een geïrriteerde blik.
+|staff|De uitbater neemt zelf de tijd voor een praatje met elke gast.
-|staff|De eigenaar stond de hele avond aan de bar te bellen.
-|ambience|Het was er zo rumoerig dat we elkaar nauwelijks konden verstaan.
-|ambience|De tafels stonden zo dicht op elkaar dat je het gesprek van de buren kon volgen.
-|ambience|Plakkerige tafels en een vieze vloer.
-|ambience|Het toilet was smerig en er was geen papier.
-|ambience|Het rook er naar frituurvet en riool.
+|ambience|Mooi ingericht, met veel licht en planten.
+|ambience|Heerlijk rustig plekje in de tuin.
+|ambience|Warm en huiselijk ingericht, je zit er heel comfortabel.
-|ambience|Koud en kil ingericht, het voelt als een wachtkamer.
+|other|Dat adres schrijf ik op, hier moet je geweest zijn.
+|other|Hier kom je zeker nog eens terug.
+|other|Een van de betere zaken in de buurt.
-|other|Geen aanrader, er zijn betere adressen in de buurt.
-|other|Dit was de laatste keer voor ons.
+|other|Een aanrader voor wie eens iets anders wil.
+|product_quality|Alles wordt hier nog zelf gemaakt en dat proef je.
-|product_quality|De porties zijn karig en de smaak is er niet.
+|product_quality|Ruime keuze en voor elk wat wils.
-|product_quality|Weinig keuze en alles smaakte hetzelfde.
-|price|Voor wat je krijgt, betaal je veel te veel.
+|price|Eerlijke prijzen voor wat je krijgt.
`;
