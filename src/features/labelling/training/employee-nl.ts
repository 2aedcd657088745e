// Dutch employee-experience (eNPS) examples, written for this project (see index.ts for the format).
export const EMPLOYEE_NL = `
# Werkdruk
-|workload|De werkdruk is al maanden veel te hoog.
-|workload|We zijn structureel onderbezet en vacatures worden niet ingevuld.
-|workload|Ik kom niet meer aan mijn eigen werk toe door alle vergaderingen.
+|workload|De werkdruk is goed te doen sinds we extra mensen hebben.
-|workload|Te veel cliënten per begeleider, je rent de hele dag.
-|workload,work_life_balance|Ik werk bijna elke avond over om alles af te krijgen.
+|workload|Genoeg tijd om mijn werk goed te doen.
-|workload|Iedereen loopt op zijn tenen, het ziekteverzuim is hoog.
-|workload,facilities|Veel dubbele registratie in drie systemen kost ontzettend veel tijd.
~|workload,colleagues|Het is erg druk, maar met dit team houden we het vol.
-|workload|Steeds meer taken erbij zonder dat er iets af gaat.
+|workload|Rustiger dan vorig jaar, de planning is beter.
-|workload,leadership|Het management blijft maar nieuwe projecten starten terwijl we het nu al niet redden.
-|workload|De administratieve last is enorm.
-|workload|In de zomer draaien we met de helft van het team.

# Leidinggevende en management
+|leadership|Mijn leidinggevende staat altijd voor me klaar.
+|leadership|Ik krijg veel vertrouwen en vrijheid van mijn manager.
-|leadership|Mijn leidinggevende is nooit bereikbaar en beslist alles zonder overleg.
-|leadership|Er wordt van bovenaf besloten zonder de werkvloer te betrekken.
-|leadership|Het management heeft geen idee wat er op de werkvloer speelt.
+|leadership|Onze teamleider geeft duidelijk richting en waardeert wat we doen.
-|leadership|Ik krijg nooit feedback, alleen als er iets fout gaat.
+|leadership|Mijn manager geeft regelmatig complimenten, dat motiveert.
-|leadership|Er zijn in drie jaar vier managers geweest, er is geen koers.
-|leadership,culture|De directie communiceert slecht en veranderingen komen als een verrassing.
+|leadership,culture|Het MT is open over de plannen en neemt ons mee in de keuzes.
-|leadership|Beloftes van het management worden niet nagekomen.
~|leadership,colleagues|Top collega's, maar de leiding laat ons aan ons lot over.
-|leadership|Micromanagement, alles moet drie keer gecontroleerd worden.
+|leadership|Mijn leidinggevende luistert echt en doet er ook iets mee.
-|leadership|De reorganisatie is slecht begeleid.

# Collega's
+|colleagues|Fijne collega's, we helpen elkaar waar het kan.
+|colleagues|Het team is hecht en er wordt veel gelachen.
-|colleagues|Er is veel geroddel in het team.
-|colleagues|Sommige collega's schuiven hun werk door naar anderen.
+|colleagues|Goede samenwerking tussen de afdelingen.
-|colleagues|De samenwerking met de andere locatie loopt stroef.
+|colleagues|Nieuwe collega's worden goed opgevangen en ingewerkt.
-|colleagues,culture|Er zijn kliekjes en als nieuwe kom je er moeilijk tussen.
+|colleagues|Mijn collega's zijn de reden dat ik hier nog werk.
-|colleagues|Te veel wisselende invalkrachten, je weet nooit met wie je werkt.
+|colleagues|Ik kan altijd bij een collega terecht met een vraag.
-|colleagues|Conflicten in het team worden niet uitgesproken.

# Salaris en voorwaarden
-|pay_benefits|Het salaris is te laag voor het werk dat we doen.
-|pay_benefits|Al drie jaar geen loonsverhoging gehad.
+|pay_benefits|Goede arbeidsvoorwaarden en een prima pensioenregeling.
-|pay_benefits|Alleen tijdelijke contracten, geen zekerheid.
+|pay_benefits|Eindelijk een vast contract, daar ben ik blij mee.
-|pay_benefits|De reiskostenvergoeding dekt lang niet wat ik kwijt ben.
+|pay_benefits|Mooie eindejaarsuitkering en een fietsplan.
-|pay_benefits|Elders verdien je voor hetzelfde werk een stuk meer.
~|pay_benefits,colleagues|Leuk werk met leuke mensen, maar het salaris blijft achter.
-|pay_benefits|Overuren worden niet uitbetaald.
+|pay_benefits|Het salaris is marktconform en wordt op tijd betaald.
-|pay_benefits|De cao-verhoging is opgegeten door de inflatie.

# Ontwikkeling
+|development|Veel mogelijkheden om cursussen en opleidingen te volgen.
-|development|Er is geen budget voor opleiding.
-|development|Ik zit al jaren op dezelfde plek en zie geen doorgroeimogelijkheden.
+|development|Ik heb de kans gekregen om door te groeien naar een nieuwe functie.
-|development|Promoties gaan naar vriendjes van de manager.
+|development|Ik leer elke dag iets nieuws.
-|development,leadership|Mijn ontwikkelgesprek is al twee keer uitgesteld.
+|development|Goede begeleiding als nieuwe medewerker.
-|development|Trainingen zijn verplicht maar slaan nergens op.
+|development|Mooi dat ik mijn opleiding tot verpleegkundige hier kan doen.
-|development|Er wordt niets gedaan met mijn ambities.

# Balans werk-privé
+|work_life_balance|Ik kan goed thuiswerken en mijn werktijden zelf indelen.
-|work_life_balance|Het rooster komt pas een week van tevoren, je kunt niets plannen.
-|work_life_balance|Ik word steeds gebeld op mijn vrije dag.
+|work_life_balance|Veel begrip voor de zorg voor mijn kinderen.
-|work_life_balance|Thuiswerken wordt ineens niet meer toegestaan.
+|work_life_balance|Flexibele werktijden, dat maakt het combineren met mijn gezin makkelijk.
-|work_life_balance|Te veel avond- en weekenddiensten.
-|work_life_balance,workload|Ik ben na het werk zo moe dat ik niets meer doe.
+|work_life_balance|Vrije dagen worden altijd zonder gedoe goedgekeurd.
-|work_life_balance|Verlof aanvragen in de zomer is bijna onmogelijk.
~|work_life_balance,pay_benefits|Goede vrijheid in werktijden, het salaris kan beter.

# Cultuur
+|culture|Open sfeer, je kunt alles zeggen.
-|culture|Er heerst een angstcultuur, niemand durft kritiek te geven.
+|culture|Er is veel waardering voor elkaar.
-|culture|Het is een ons-kent-ons cultuur.
+|culture|Ik ben trots op waar deze organisatie voor staat.
-|culture|De organisatie gaat alleen nog om cijfers en niet om mensen.
+|culture|Diversiteit wordt hier echt serieus genomen.
-|culture|Fouten maken mag niet, er wordt meteen met de vinger gewezen.
+|culture|Informele sfeer en korte lijnen.
-|culture|Ongewenst gedrag wordt niet aangepakt.
+|culture|We vieren successen samen.
-|culture|Er is geen ruimte voor nieuwe ideeën.
-|culture,leadership|Kritiek wordt je niet in dank afgenomen.
+|culture|Het voelt als een familie.

# Faciliteiten en middelen
-|facilities|De laptops zijn traag en oud.
-|facilities|Het nieuwe roostersysteem werkt niet goed.
+|facilities|Mooie nieuwe kantoorruimte met goede werkplekken.
-|facilities|Te weinig werkplekken op kantoor, je moet om negen uur al zoeken.
-|facilities|In de zomer is het op kantoor veel te warm, geen airco.
+|facilities|Ik heb alles wat ik nodig heb om mijn werk te doen.
-|facilities|Het elektronisch dossier is traag en valt vaak uit.
+|facilities|Goede thuiswerkplek vergoed, inclusief bureaustoel.
-|facilities|Kapotte tilliften worden pas na weken gerepareerd.
-|facilities|De kantine is klein en het eten is slecht.
+|facilities|Fijn dat we nieuwe telefoons hebben gekregen.
-|facilities|Wifi op de locatie valt steeds weg.

# Algemeen
+|other|Ik werk hier met veel plezier.
+|other|Fijne werkgever.
-|other|Ik ben op zoek naar een andere baan.
+|other|Mooi werk, ik zou het zo weer kiezen.
-|other|Ik zou mijn vrienden hier niet aanraden te werken.
0|-|Geen opmerkingen.
0|-|n.v.t.
0|other|Het is een baan zoals elke andere.
~|other|Het werk is leuk, de organisatie minder.
+|other|Betekenisvol werk, je doet echt iets voor mensen.
-|other|Ik haal geen voldoening meer uit mijn werk.
0|-|Ik werk hier pas twee maanden.
+|other|Goede werkgever, weinig te klagen.
-|other|Het is de laatste jaren hard achteruitgegaan.
# Meer, gemengd
-|workload|Het werk is niet te doen met zo weinig mensen op de groep.
+|workload|De nieuwe planning geeft eindelijk lucht.
-|workload,culture|Er wordt verwacht dat je altijd bereikbaar bent en extra diensten draait.
-|leadership|Mijn teamleider heeft nooit tijd voor een gesprek.
+|leadership|De nieuwe directeur laat zich regelmatig op de werkvloer zien.
-|leadership|Er wordt niet geluisterd naar de mensen die het werk doen.
+|leadership,development|Mijn manager stimuleert me om nieuwe dingen te leren.
+|colleagues|Het is een warm team waarin iedereen voor elkaar klaarstaat.
-|colleagues|Ik voel me buitengesloten door mijn directe collega's.
+|colleagues,culture|We kunnen goed lachen met elkaar en ook kritiek geven.
-|pay_benefits|Voor het salaris hoef je het hier niet te doen.
+|pay_benefits|Het salaris is prima en de secundaire voorwaarden zijn goed.
-|pay_benefits|Geen vergoeding voor thuiswerken en de internetkosten.
-|pay_benefits,development|Geen loonsverhoging en ook geen kans op een hogere functie.
+|development|Er is ruimte om een opleiding te volgen onder werktijd.
-|development|Ik krijg geen trainingen, ik moet alles zelf uitzoeken.
-|development|Geen enkele mogelijkheid om door te groeien.
+|development|Via de academie heb ik al drie cursussen gedaan.
+|work_life_balance|Ik kan mijn uren goed afstemmen op de schooltijden van de kinderen.
-|work_life_balance|Door de onregelmatige diensten zie ik mijn gezin nauwelijks.
-|work_life_balance|Verlof wordt op het laatste moment ingetrokken.
+|work_life_balance|Twee dagen thuiswerken per week, dat bevalt uitstekend.
+|culture|Hier wordt echt naar elkaar omgekeken.
-|culture|Er wordt veel over elkaar gepraat in plaats van met elkaar.
-|culture|Nieuwe ideeën worden direct afgeschoten.
+|culture|Je mag hier fouten maken en daarvan leren.
-|facilities|Het rooster- en urenprogramma is een ramp.
+|facilities|Goede apparatuur en alles wordt snel vervangen als het kapot is.
-|facilities|Er is geen rustige plek om te bellen of je te concentreren.
+|facilities|Fijn dat er een goede koffieautomaat en een fruitschaal is.
-|facilities|De tilliften en hulpmiddelen zijn verouderd.
~|facilities,colleagues|Het gebouw is oud, maar de collega's maken veel goed.
~|workload,pay_benefits|Hard werken voor een redelijk salaris, maar de druk is soms te hoog.
~|leadership,work_life_balance|Mijn leidinggevende is prima, het rooster is het probleem.
0|other|Ik ben net begonnen, dus ik kan het nog niet goed beoordelen.
+|other|Ik heb het hier erg naar mijn zin.
-|other|Ik zou niet weten waarom ik hier nog zou blijven.
+|other|Een prima plek om te werken.
`;
