// English customer-experience examples, written for this project (see index.ts for the format).
export const CUSTOMER_EN = `
# Hospital, GP, care
-|waiting_time|Sat in the waiting room for almost an hour past my appointment time.
-|waiting_time,communication|Long wait and nobody told us what was going on.
+|staff|The nurses on the ward were kind and patient with my father.
+|staff,communication|The doctor took her time and explained everything clearly.
-|staff|The consultant barely looked at me and seemed in a hurry.
+|waiting_time|I was seen within ten minutes, very impressive.
+|waiting_time|Didn't have to wait long at all for my results.
-|waiting_time|Four months on a waiting list for a scan is far too long.
-|communication|The appointment letter arrived after the appointment date.
-|communication|I got conflicting information from every person I spoke to.
+|communication|Clear information about the procedure and the recovery.
-|reachability|Impossible to get through to the practice by phone in the morning.
-|reachability|Parking at the hospital is a nightmare and very expensive.
+|reachability|Easy to get to by bus, the stop is right outside.
-|ambience|The ward was dirty and the toilets hadn't been cleaned.
+|ambience|Bright, spotless rooms and a calm atmosphere.
-|ambience|Very noisy at night, I hardly slept.
-|product_quality|Hospital food was cold and tasteless.
+|product_quality|The physiotherapy really helped me get back on my feet.
-|product_quality|My symptoms were worse after the treatment.
~|staff,waiting_time|Lovely receptionist but I still waited over an hour.
~|product_quality,communication|The surgery went well, but the aftercare information was a mess.
+|service|I felt listened to and taken seriously.
-|service|My complaint about the bill has not been dealt with after two months.
-|staff|The receptionist was rude and dismissive.
+|other|Great hospital, would recommend it to anyone.
-|ease_of_use|The patient portal is confusing and I can never find my letters.
+|ease_of_use|Rebooking my appointment online was really easy.
+|staff|A very knowledgeable specialist who knew exactly what he was talking about.
-|waiting_time|Five hours in A&E with a broken wrist.
~|waiting_time,product_quality|Excellent treatment, but the waiting list was ridiculous.
+|service|The pharmacy had my prescription ready when I arrived.
-|service|Passed from one department to another and nobody took responsibility.
0|other|I come here once a year for a check-up.
+|staff|No complaints about the staff at all, everyone was helpful.

# Housing
-|waiting_time|My repair request has been open for eight weeks.
-|waiting_time,service|The engineer didn't turn up three times and I took a day off each time.
+|service,staff|The plumber was quick, tidy and cleaned up after himself.
+|waiting_time|The leak was fixed within two days.
-|product_quality|The mould in the bathroom keeps coming back, they just paint over it.
-|product_quality|The flat is badly insulated and draughty.
+|product_quality|Lovely new kitchen fitted, excellent work.
-|price|The rent goes up every year but nothing gets maintained.
-|price|Service charges went up a lot without any explanation.
~|price,product_quality|The house is fine, but the rent is too high for the area.
-|communication|I emailed four times about the broken heating and never got a reply.
+|communication|Clear letter about the works with a schedule and a contact person.
-|reachability|They are very hard to reach by phone, always on hold for ages.
+|reachability|You get through quickly, even out of hours for emergencies.
-|ambience|The stairwell is filthy and the lights have been broken for months.
+|ambience|The gardens around the building are well kept.
-|service|My noise complaint was simply ignored.
+|service|They actually fixed the drain problem properly this time.
+|staff|The caretaker is helpful and knows all the tenants.
-|staff|The inspector was rude and blamed me for the damp.
+|ease_of_use|Booking the repair myself through the tenant portal was very handy.
-|ease_of_use|The online form keeps crashing when I try to upload a photo.
~|staff,waiting_time|Friendly people on the phone but then nothing happens for weeks.
+|other|I'm happy living here.
-|other|I don't feel heard as a tenant at all.
-|communication,service|They don't keep their promises.
+|communication|They keep us well informed through the residents' app.
-|product_quality|The lift has broken down three times this month.

# Shops and webshops
-|waiting_time|My order still hasn't arrived after two weeks.
+|waiting_time|Ordered today, delivered tomorrow, brilliant.
-|product_quality|The jacket fell apart after two washes.
+|product_quality|Good quality, the shoes fit perfectly.
-|product_quality|The device was broken on arrival.
+|price|Competitive prices and regular discounts.
-|price|Seven pounds delivery for a small order is too much.
-|price|Much more expensive than other shops for exactly the same thing.
+|ease_of_use|The website is clear and ordering takes a few clicks.
-|ease_of_use|Checkout in the app keeps failing at the payment step.
-|ease_of_use|Returning items is a hassle, you have to call for a label.
+|ease_of_use|Returns were incredibly easy.
+|service|They replaced the faulty item without any fuss.
-|service|They refused the warranty even though it was less than a year old.
+|staff|The sales assistant gave honest advice and didn't push anything.
-|staff|Staff were chatting among themselves and ignoring customers.
+|staff,service|Very helpful employee who even checked the stockroom for me.
-|communication|No updates on the delivery and the tracking link didn't work.
+|communication|I got an email with the delivery slot and it was accurate.
-|reachability|Customer service is only available by chat and nobody answers.
+|reachability|The shop is easy to reach and parking is free.
+|ambience|Nice shop, well laid out and relaxed.
-|ambience|Messy store, stuff lying all over the floor.
-|waiting_time|Only one till open and a queue to the back of the shop.
+|other|Great shop, I love coming here.
-|other|Never again, I'll shop elsewhere.
~|price,product_quality|Lovely products but quite pricey.
~|product_quality,waiting_time|The product is fine, delivery just took much longer than promised.
-|service|The courier left the parcel in the rain on the doorstep.
-|communication,service|I still haven't had my refund and nobody can tell me why.
+|product_quality|Fresh fruit and vegetables, always good.
-|product_quality|The bread was stale and the cheese was mouldy.
+|price|Fair price for what you get.
-|ease_of_use|The self-checkout never works.
+|product_quality|Wide range and I found everything I needed.
-|service|I received the wrong item and had to pay to send it back.

# Restaurant, pub, hotel
+|product_quality|The food was superb, especially the main course.
-|product_quality|The steak was tough and the chips were soggy.
+|product_quality|Fresh fish, cooked perfectly.
-|product_quality|The soup was lukewarm and far too salty.
+|product_quality|Lovely wine with the menu, good recommendation.
-|product_quality|The coffee tasted of nothing.
+|product_quality|Delicious pizzas with a thin crispy base.
-|product_quality|Tiny portions, I was still hungry afterwards.
+|product_quality|Plenty of choice on the menu, including for vegetarians.
-|product_quality|Limited menu and the dessert was clearly from a packet.
+|product_quality|Breakfast was generous and everything was fresh.
-|product_quality|The cocktails were watered down.
+|staff,service|Friendly waiters who helped us choose.
-|staff,service|The waitress was grumpy and practically threw the plates on the table.
+|service|Attentive service, our glasses were never empty.
-|service|We had to ask three times for the bill.
-|service,waiting_time|We waited an hour between starter and main.
-|waiting_time|It took ages before anyone came to take our order.
+|waiting_time|Food was on the table within fifteen minutes.
-|service|They had lost our booking and we ended up eating at the bar.
+|service|They handled my allergy carefully without me having to repeat it.
-|service|The waiter forgot half of our order.
+|staff|The staff were welcoming and great fun.
-|staff|Arrogant owner who can't take any criticism.
+|price|Great value for money.
-|price|Way too expensive for what you get.
-|price|Twelve euros for a toasted sandwich is ridiculous.
+|price|Affordable and still good quality.
-|price|The wine was outrageously overpriced.
~|product_quality,price|The food was lovely but it's on the expensive side.
~|product_quality,service|Good food, shame about the service.
~|ambience,product_quality|Beautiful spot by the water but the food was average.
~|staff,product_quality|Really friendly staff, unfortunately the meat was overcooked.
+|ambience|Cosy atmosphere and nicely decorated.
-|ambience|It was so loud we couldn't hear each other.
+|ambience|Gorgeous terrace overlooking the harbour.
-|ambience|Tables are packed so close you can hear every word next to you.
-|ambience|It was cold inside, we kept our coats on.
+|ambience|Romantic setting, perfect for a dinner for two.
-|ambience|The toilets were disgusting.
+|ambience|Everything looked clean and tidy.
+|other|We will definitely be back.
+|other|Highly recommended!
-|other|I won't be coming back.
+|other|Fantastic evening.
-|other|A disappointing night out.
+|other|Best restaurant in town.
0|-|We went there on a Saturday night with friends.
0|-|We had booked a table for eight o'clock.
0|-|The restaurant is on the edge of the old town.
0|-|We ordered the tasting menu.
0|product_quality|They mainly serve Italian dishes.
-|reachability|Hard to find and there's nowhere to park.
+|reachability|Just a short walk from the station.
+|product_quality|The desserts are a must.
-|product_quality|The bread was dry and stale.
+|staff|The chef came out to ask if we enjoyed the meal.
-|service|After ninety minutes we were asked to give up our table.
-|staff|Rude bar staff.
+|service,staff|Excellent service from start to finish.
-|service|It was busy and the waiters completely lost track.
+|product_quality,ambience|Lovely meal in a relaxed setting.
-|product_quality|My pasta was undercooked and the sauce tasted like it came from a jar.
+|product_quality|The meat was tender and cooked just right.
-|price,product_quality|Expensive small plates that don't fill you up.
+|price|For such an extensive menu the price is certainly not too high.
-|price|Not cheap and nothing special either.
~|price,ambience|Stunning location, but you pay for it.
+|service|Check-in at the hotel was quick and smooth.
-|ambience|The hotel room smelled of smoke and the mattress sagged.
+|ambience|Spacious clean room with a very comfortable bed.
-|waiting_time|We queued for half an hour to check in.
-|service|The room wasn't ready on arrival and nobody offered a solution.
+|product_quality|Great breakfast buffet and good coffee.
+|staff|The hostess made us feel welcome straight away.
+|product_quality|Good house wine and nice bar snacks.
-|product_quality|The beer was warm and the glasses dirty.
-|communication|The website showed different opening hours from the real ones.
+|ease_of_use|Booking online was quick and simple.
-|ease_of_use|Ordering with the QR code didn't work so we had to go to the bar.
+|product_quality|The kids loved the pancakes.
-|ambience|The music was far too loud.
~|ambience,service|Nice place, but the service could be faster.
-|service|No apology when there was a hair in my food.
+|service|When the dish wasn't right they replaced it without any argument.
+|product_quality|Best burger I've had in ages.
-|price|They charged extra for a glass of tap water.
+|staff|The bartender was friendly and knew his stuff.
-|product_quality|The sushi wasn't fresh.
+|product_quality|The curry was full of flavour.

# Sports club, gym
+|staff|The coaches are enthusiastic and give useful tips.
-|staff|The coach only pays attention to the best players.
-|ambience|Changing rooms are dirty and the showers are cold.
+|ambience|Friendly club with a great atmosphere in the bar.
-|price|Membership fees went up again and I see nothing for it.
+|price|You won't find a cheaper place to train.
-|communication|Schedule changes are only announced at the last minute.
+|communication|The committee keeps everyone informed through the newsletter.
-|product_quality|The gym equipment is old and often broken.
+|product_quality|Great classes with lots of variety.
-|ease_of_use|Booking a class in the app is a disaster.
-|waiting_time|You have to wait ages for a machine, far too busy.
+|other|Lovely club, my kids love going there.
-|service|Cancelling the membership was made as difficult as possible.
+|staff|The volunteers work incredibly hard.
~|staff,price|Great trainers but the fees are steep.

# Utilities, telecom, insurance, council, garage
-|waiting_time,reachability|An hour on hold with customer service.
-|communication|The annual statement is impossible to understand.
+|communication|Clear explanation of the new monthly payments.
-|price|Prices went up without any notice.
+|price|Cheapest provider and never had an outage.
-|product_quality|The internet drops out every evening.
+|product_quality|Stable connection and fast broadband.
-|service|My fault still isn't fixed after five calls.
+|service|They fixed the problem remotely while I was on the phone.
+|staff|Very competent person on the phone.
-|staff|The agent was impatient and kept interrupting me.
-|ease_of_use|I can't submit my meter readings, the site keeps giving an error.
+|ease_of_use|The app shows exactly what I use, very handy.
-|service|The insurance claim took months to settle.
+|service|My claim was paid within a week, no hassle.
-|waiting_time|Eight weeks for a permit is not normal.
+|ease_of_use|Applying on the website was simple.
+|service|The garage called before doing any extra work, very decent.
-|price|The garage bill was much higher than the quote.
+|product_quality|The car runs like new again.
~|service,price|Good help, but the hourly rate is steep.
-|communication|Nobody tells you when the engineer is running late.
+|other|A happy customer for years.
-|other|Leaving this company as soon as I can.

# General, short, no subject
+|other|Great.
+|other|All good.
+|other|Very satisfied.
-|other|Not happy.
-|other|Terrible.
-|other|Very disappointed.
+|other|Keep up the good work!
0|-|N/A
0|-|No comments.
0|-|Nothing to add.
0|-|Don't know.
0|other|Average, not good and not bad.
0|other|It was okay.
~|other|Sometimes good, sometimes not.
+|other|I'd recommend it to anyone.
-|other|I wouldn't recommend it to anyone.
+|other|Nothing to complain about.
+|other|No problems whatsoever.
-|other|Could be a lot better.
0|other|There's always room for improvement.
# Everyday praise and complaints in hospitality, shops and services (issue 12)
+|other|Lovely place, we will definitely be back.
+|other|We'll be coming back for sure.
+|other|I'm going to bring my friends next time.
+|other|Highly recommended to anyone in the area.
+|other|One of my favourite spots in town.
+|other|Worth the trip every single time.
+|other|A real gem, glad we found it.
+|other|Can't wait to go again.
+|other|Make sure you visit if you get the chance.
+|other|Best in the neighbourhood, no doubt.
+|other|We had a wonderful evening.
+|other|Had a great time, thanks to everyone.
-|other|Never again, what a disappointment.
-|other|I won't be going back.
-|other|I really wanted to like it, but it let me down.
-|other|Avoid, there are better options nearby.
-|other|Overall a very disappointing visit.
0|other|We went there on a Saturday evening with four people.
0|other|I have been a customer for about two years.
0|other|We ordered online and picked it up ourselves.
+|product_quality|Everything we ate was fresh and full of flavour.
+|product_quality|The dishes were beautifully presented and tasted even better.
+|product_quality|Portions were generous and the quality was excellent.
+|product_quality|The dessert was the highlight of the night.
+|product_quality|Great selection of wines and the coffee was spot on.
+|product_quality|The quality of the product is excellent, it still works like new.
+|product_quality|Fresh ingredients and well prepared.
+|product_quality|The pasta was cooked perfectly.
-|product_quality|The food was bland and lukewarm.
-|product_quality|My steak was overcooked and dry.
-|product_quality|The fish did not taste fresh at all.
-|product_quality|Tiny portions and nothing special.
-|product_quality|The product broke within a week.
-|product_quality|The drinks were watered down.
0|product_quality|I had the chicken and my wife had the salmon.
+|service|Service was quick and attentive without being pushy.
+|service|They went out of their way to help us.
+|service|Our waiter was attentive and knew the menu well.
+|service,staff|The staff were welcoming and made us feel at home.
+|service|They sorted out my problem straight away.
+|staff|The owner came by to chat, very friendly people.
-|service|Nobody checked on us during the whole meal.
-|service,staff|The waitress was rude and ignored us.
-|service|Service was sloppy and the order was wrong.
-|staff|The staff seemed uninterested and unfriendly.
-|service|They never solved my issue.
+|waiting_time|Our food came out quickly.
+|waiting_time|Only a short wait even though it was busy.
-|waiting_time|We waited over an hour for our main course.
-|waiting_time|It took forever to get a table.
+|price|Very reasonable prices for the quality.
+|price|It's well priced and the portions are big.
+|price|Not cheap, but worth every penny.
-|price|Overpriced and not worth it.
-|price|They charged us for things we didn't order.
+|ambience|Cosy atmosphere and nice music.
+|ambience|Beautiful decor and a relaxed vibe.
+|ambience|Lovely terrace with a view of the water.
+|ambience|The place is charming and quiet, perfect for a date.
-|ambience|The tables are crammed together and it's very cramped.
-|ambience|The room was dark and dingy.
-|ambience|The toilets were filthy.
~|product_quality,service|The food was great, but the service was painfully slow.
~|product_quality,price|Tasty dishes, but a bit pricey.
~|ambience,product_quality|Nice setting, but the food was disappointing.
~|staff,waiting_time|Friendly staff, but we had to wait a long time.
~|product_quality,ambience|Good food but far too noisy.
~|price,product_quality|Cheap, but you get what you pay for.
+|product_quality,service|The food was excellent and so was the service.
+|product_quality,price|Delicious food at a fair price.
+|ambience,service|Great atmosphere and friendly service.
-|product_quality,service|Cold food and slow service.
-|price,product_quality|Expensive and the quality was poor.
+|reachability|Easy to find and plenty of parking.
+|ease_of_use|Booking a table online was quick and easy.
-|ease_of_use|The website kept crashing when I tried to order.
+|communication|They kept me informed every step of the way.
-|communication|Nobody told us the kitchen was closing early.
-|communication|Communication about the renovation was poor.
+|communication|Communication around the delivery was smooth.
+|communication,staff|Good communication with the engineer, he kept me posted.
-|communication|Terrible communication between departments.

# More everyday phrasings (issue 12, second round): recommending or warning others, coming back or not,
# praise without a strong word, negated praise, "not bad", neutral facts, praise and criticism side by side.
+|other|I'll definitely be coming back here.
+|other|We keep going back, it never lets us down.
+|other|Already planning our next visit.
+|other|Do yourself a favour and go.
+|other|Give it a try, you won't regret it.
+|other|You won't be disappointed.
+|other|My go-to place whenever I'm in town.
+|other|Ten out of ten, would go again.
+|other|Five stars from me.
+|other|This is how it should be done.
+|other|Kudos to the whole team.
+|other|Hats off to everyone who works there.
+|other|I tell all my friends about this place.
+|other|It has become a family tradition to come here.
+|other|We were regulars for years and it is still as good.
+|other|Can't say enough good things about them.
+|other|Exactly what we were looking for.
+|other|It exceeded all our expectations.
+|other|Simply the best in town.
+|other|An absolute must if you are in the area.
+|other|This place is a hidden treasure.
+|other|We left with a big smile on our faces.
+|other|Thank you for a lovely afternoon.
+|other|Nothing but praise.
+|other|Everything was just right.
+|other|It ticked all the boxes.
+|other|Really glad we chose this place.
-|other|Save your money and go somewhere else.
-|other|Do not go here.
-|other|I would not recommend them to anyone.
-|other|Not worth the trouble.
-|other|We won't be returning.
-|other|Probably the last time we go there.
-|other|I don't think I'll go back.
-|other|Stay away if you value your evening.
-|other|Consider yourself warned.
-|other|I can't understand why people like this place.
-|other|The reviews made it sound much better than it is.
-|other|So much hype for so little.
-|other|It used to be good, but it has gone downhill.
-|other|It is not what it used to be.
-|other|One star is generous.
-|other|The whole experience was a letdown.
-|other|Our evening was ruined.
-|other|I wish I had read the reviews first.
-|other|Don't bother.
-|other|Total waste of an evening.
-|other|A tourist trap, nothing more.
-|other|We should have gone somewhere else.
0|other|We came here for a birthday dinner.
0|other|It is on the corner next to the bank.
0|other|They open at eight in the morning.
0|other|We were a group of six.
0|other|I had been here once before, years ago.
0|other|The menu changes every season.
0|other|They only take cash.
0|other|I ordered by phone on a Tuesday.
0|other|We booked through their website.
0|other|My sister works nearby, so we go there for lunch sometimes.
0|other|It is a small family business.
0|other|You pay at the counter.
0|other|I visited the branch in the city centre.
+|product_quality|Every bite was a joy.
+|product_quality|The soup alone is worth the visit.
+|product_quality|You have to try the cheesecake.
+|product_quality|Get the lamb, you can thank me later.
+|product_quality|The bread is baked fresh every morning and you can taste it.
+|product_quality|Lovely flavours, nicely balanced.
+|product_quality|Best coffee I've had in a long time.
+|product_quality|The wine list has something for everyone.
+|product_quality|Big portions, nobody left hungry.
+|product_quality|It was cooked exactly the way I asked.
+|product_quality|The meat just melted in your mouth.
+|product_quality|The ingredients are clearly of high quality.
+|product_quality|The product does exactly what it promises.
+|product_quality|Solid build quality, it feels like it will last.
+|product_quality|The repair was done properly and it works again.
+|product_quality|Not bad at all for a quick bite.
+|product_quality|The food was pretty good, actually.
+|product_quality|Decent food for a quick lunch.
+|product_quality|Their pizza is the real deal.
+|product_quality|Huge menu with lots of choice.
-|product_quality|The fish was overdone and dry.
-|product_quality|The sauce had no taste at all.
-|product_quality|My soup was barely warm.
-|product_quality|The salad looked like it had been sitting there all day.
-|product_quality|The chips were soggy and the burger was raw inside.
-|product_quality|Way too salty, I couldn't finish it.
-|product_quality|Everything tasted the same.
-|product_quality|It looked nothing like the picture.
-|product_quality|The portions have become smaller and smaller.
-|product_quality|The quality has gone down a lot.
-|product_quality|Not good, not even close.
-|product_quality|The food was not great this time.
-|product_quality|The menu is very limited.
-|product_quality|They had run out of half the dishes.
-|product_quality|The wine was corked and they didn't replace it.
-|product_quality|The bread was stale.
-|product_quality|I found a hair in my food.
-|product_quality|The shirt fell apart after the first wash.
-|product_quality|The item arrived damaged.
-|product_quality|The quality is inconsistent, sometimes good, often not.
-|product_quality|The coffee tasted burnt.
-|product_quality|Frozen food heated up in a microwave.
0|product_quality|I had the fish of the day.
0|product_quality|They serve breakfast until eleven.
0|product_quality|The menu has a few vegetarian options.
0|product_quality|I ordered the large one.
+|service|They really make an effort for their guests.
+|service|Nothing was too much trouble.
+|service|They remembered us from last time.
+|service|Our glasses were never empty.
+|service|They helped me choose and gave good advice.
+|service|Service with a smile.
+|service|They went the extra mile for us.
+|service|We were well looked after.
+|service|Attentive but never intrusive.
+|service|They were happy to adjust the dish for my allergy.
-|service|We had to flag someone down every time we needed something.
-|service|Our order was forgotten.
-|service|They brought us the wrong dishes.
-|service|They refused to change my order.
-|service|They would not take back the faulty product.
-|service|Nobody apologised for the mix-up.
-|service|The service was not what you would expect at this price.
-|service|They put the plates down without a word.
-|service|We were rushed out so they could use the table.
-|service|They cleared our plates while we were still eating.
-|service|Service was just okay, nothing more.
-|service|The service has gone downhill.
-|service|Slow and disorganised service.
+|staff|The waiters are real professionals.
+|staff|The owner clearly loves what he does.
+|staff|The young man at the counter was very patient with me.
+|staff|The bartender knows his stuff.
+|staff|Staff are always cheerful and welcoming.
+|staff|The mechanic explained everything without talking down to me.
-|staff|The waiter rolled his eyes when we asked a question.
-|staff|The manager argued with us instead of listening.
-|staff|The hostess was snobby and cold.
-|staff|The staff were chatting among themselves and ignored the customers.
-|staff|He was very abrupt with me on the phone.
-|staff|The man at the desk was condescending.
-|staff|Staff looked bored and unwilling to help.
+|waiting_time|We were seated right away.
+|waiting_time|The food was on the table within ten minutes.
+|waiting_time|No waiting at all.
+|waiting_time|Delivery arrived earlier than promised.
+|waiting_time|They fixed it the same day.
-|waiting_time|Forty minutes before anyone took our order.
-|waiting_time|The dishes came out one at a time, far apart.
-|waiting_time|Our delivery was an hour late.
-|waiting_time|We waited and waited and nobody came.
-|waiting_time|It took them three weeks to reply.
-|waiting_time|The queue was out the door and it barely moved.
+|price|Great value for what you get.
+|price|Affordable and good.
+|price|The lunch deal is a bargain.
+|price|You can eat well here without breaking the bank.
+|price|Prices are more than fair.
+|price|Cheaper than the competition and just as good.
-|price|You pay for the name, not the quality.
-|price|Twelve euros for a small glass of wine is steep.
-|price|Way overpriced for what it is.
-|price|The bill was much higher than we expected.
-|price|They charge extra for everything.
-|price|Hidden costs everywhere.
-|price|The prices went up again without any improvement.
0|price|Main courses cost around twenty euros.
0|price|There is a fixed price menu at lunch.
0|price|Prices are in line with other places around here.
+|ambience|Great view over the harbour.
+|ambience|Lovely garden to sit in on a sunny day.
+|ambience|The music was just right, not too loud.
+|ambience|Warm and inviting interior.
+|ambience|The place has a lot of character.
+|ambience|Clean and tidy everywhere.
+|ambience|It feels like a living room, very homely.
-|ambience|So loud you could not hear each other.
-|ambience|The place smelled of old grease.
-|ambience|It was freezing inside.
-|ambience|Sticky tables and a dirty floor.
-|ambience|The decor is tired and dated.
-|ambience|Uncomfortable chairs and harsh lighting.
-|ambience|The room was far too hot and stuffy.
0|ambience|The restaurant has two floors and a terrace.
0|ambience|There is a play corner for children.
+|reachability|Right by the station, very convenient.
+|reachability|Easy to reach and always room to park.
-|reachability|Hard to find, the entrance is hidden around the back.
-|reachability|Parking nearby is very expensive.
-|reachability|They never pick up the phone.
-|reachability|It is a long way from the city centre and there is no bus.
+|ease_of_use|Ordering through the app was a breeze.
+|ease_of_use|Returning the item was simple.
+|ease_of_use|Paying was quick and easy.
-|ease_of_use|The online form kept giving errors.
-|ease_of_use|It took me ages to find how to cancel.
-|ease_of_use|I could not make a reservation online.
+|communication|They called us to let us know they were running late.
+|communication|Clear information about what to expect.
+|communication|Quick and friendly reply to my email.
-|communication|Nobody told us the kitchen was out of several dishes.
-|communication|They did not mention the extra charge beforehand.
-|communication|My emails were never answered.
-|communication|They promised to call back but never did.
~|product_quality,service|The food was fine, but the service let it down.
~|product_quality,price|Good food, although a bit expensive for what you get.
~|ambience,product_quality|Beautiful place, shame about the food.
~|product_quality,service|Lovely dishes, but we had to wait ages for the dessert.
~|price,product_quality|Cheap and cheerful, though nothing to write home about.
~|staff,service|The staff mean well, but they are clearly overwhelmed.
~|product_quality|The starter was excellent, the main course was a disappointment.
~|product_quality|Some dishes were great, others were forgettable.
~|ambience,service|Nice terrace, but nobody came to take our order.
~|service,price|Friendly service, but the prices are on the high side.
~|product_quality,ambience|The food is worth it, even if the room is a bit noisy.
~|staff,product_quality|The staff were lovely, but the food was only average.
~|product_quality|Good pizza, but the pasta was overcooked.
~|other|I like the concept, but it doesn't quite work yet.
~|product_quality,waiting_time|Great food once it finally arrived.
-|product_quality|The food was okay, but nothing more than that.
-|product_quality|It was edible, but that's about it.
-|other|Not bad, but not good either, and too expensive.
+|product_quality|Not the cheapest, but the quality makes up for it.
+|other|A bit out of the way, but well worth the detour.
+|product_quality|Simple food, but done really well.
+|service|Busy evening, but they still took good care of us.
0|service|The waiter asked if we had any allergies.
0|service|They bring the bill to the table.
0|waiting_time|It usually takes about twenty minutes.
+|other|Not a single complaint from our side.
+|other|Zero complaints, all good.
+|other|No complaints, everything was as it should be.
+|other|All in all, no complaints from me.
# Third round (issue 12): restaurant reviews in our own words: long sentences with several parts, and
# many neutral sentences that only tell what happened (no judgement, so no topic).
+|product_quality|The pasta was cooked just right and the sauce was rich without being heavy.
+|product_quality|Every dish we tried was full of flavor.
+|product_quality|The sushi was fresh and the rolls were generous.
+|product_quality|Their dumplings are some of the best I have had.
+|product_quality|Great selection of wines by the glass.
+|product_quality|The steak came out exactly medium rare as ordered.
+|product_quality|The dessert was a perfect end to the meal.
+|product_quality|Portions are big enough to share.
+|product_quality|The bread basket alone is worth the trip.
+|product_quality|Solid menu with something for everyone.
-|product_quality|The fish was overcooked and had no taste at all.
-|product_quality|My burger was dry and the bun was stale.
-|product_quality|The soup tasted like it came out of a can.
-|product_quality|The rice was hard and the curry was watery.
-|product_quality|Portions were tiny for a main course.
-|product_quality|The pizza was soggy in the middle and burnt on the edges.
-|product_quality|Nothing on the plate had any seasoning.
-|product_quality|The chicken was rubbery and the vegetables were limp.
-|product_quality|The menu is very limited and half of it was unavailable.
-|product_quality|The cocktails were weak and overly sweet.
0|product_quality|I had the salmon and my wife had the chicken.
0|product_quality|We started with the calamari and then split two pizzas.
0|product_quality|They serve a prix fixe menu on weekdays.
+|service|Our server checked on us without being pushy.
+|service|They brought out a candle with the dessert for my birthday.
+|service|Water glasses were refilled without asking.
+|service|They happily adjusted the dish for my allergy.
+|service|Service was quick and efficient even on a busy night.
-|service|We had to flag someone down just to get menus.
-|service|The waiter brought the wrong entrees and did not apologize.
-|service|Our order was forgotten and nobody seemed to care.
-|service|We were seated and then ignored for twenty minutes.
-|service|The hostess told us our reservation did not exist.
+|staff|The owner came by our table and made us feel at home.
+|staff|Our waitress was sweet and knew the menu inside out.
+|staff|The bartender made great suggestions.
-|staff|The waiter was condescending when we asked about the wine.
-|staff|The staff acted like we were a bother.
-|staff|The manager argued with us instead of fixing the problem.
+|waiting_time|Food came out fast.
-|waiting_time|We waited over an hour for our food.
-|waiting_time|It took forever to get the check.
+|price|Great value, we left full and it did not break the bank.
-|price|Twelve dollars for a small glass of house wine is too much.
-|price|The bill was much higher than the menu suggested.
0|price|Entrees run around twenty dollars.
+|ambience|Cozy little spot with candles on every table.
+|ambience|The back garden is lovely in summer.
+|ambience|Nice decor and the music was just right.
-|ambience|It was so loud we could not hear each other.
-|ambience|Tables are crammed together and the room is stuffy.
-|ambience|The bathroom was filthy.
0|ambience|The dining room seats about fifty people.
+|other|This is now our favorite spot in the neighborhood.
+|other|I would recommend it to anyone looking for a good meal.
-|other|I will not be returning.
-|other|Not worth the hype.
-|other|Overall a very disappointing evening.
0|-|We came here on a Friday night with a group of six.
0|-|We had a reservation for 8 pm.
0|-|My friend and I stopped in for lunch.
0|-|It was my first time here.
0|-|We were celebrating my sister's birthday.
0|-|A coworker told me about this place.
0|-|We sat at the bar.
0|-|I have been here three times now.
0|-|We went on a Tuesday.
0|-|After the show we walked over for a late dinner.
0|-|My husband ordered the special.
0|-|We shared two appetizers and a main.
0|-|They take reservations only for parties of four or more.
0|-|The restaurant is on the corner of the block.
0|-|We ordered takeout last week.
0|-|They just opened a second location.
~|product_quality,service|The food was great but the service was painfully slow.
~|product_quality,price|Delicious food, although it is a bit pricey.
~|ambience,product_quality|Beautiful room, but the food was only average.
~|staff,product_quality|The staff were lovely, shame about the food.
~|product_quality|The appetizers were excellent, the mains were a letdown.
~|service,ambience|Friendly service, but it was far too noisy to talk.
+|product_quality,service|Great food and friendly service, what more could you want.
+|product_quality,price|Tasty food at a fair price.
-|product_quality,service|Bad food and even worse service.
-|other|We left after an hour without being served.
# Short plain judgements (third round): "wait staff" is the serving staff, not waiting.
+|product_quality|The food is great.
+|product_quality|Food was excellent as always.
+|staff|The wait staff is friendly and attentive.
+|staff,service|Wait staff were polite and very accommodating.
-|staff|The wait staff was rude and impatient.
+|service|Service is always prompt.
-|service|Service was slow and careless.
+|other|You cannot go wrong here.
+|other|I have never been disappointed here.
+|ambience|Cute little place with a relaxed feel.
-|ambience|The place is tiny and you are practically sitting on your neighbors' laps.
# Fourth round (issue 12): praise and complaints without a strong word, in many sectors; said the way
# customers write it ("I keep coming back", "nobody bothered to tell us"), and plain facts without a
# judgement (no topic).
+|other|I keep coming back, and that says enough.
+|other|I can't imagine going anywhere else now.
+|staff|Nothing was too much trouble for them.
+|service|They went out of their way to sort it out for us.
+|product_quality|It does exactly what it says it does.
+|other|I would go again tomorrow.
+|other|I have already told all my friends about you.
+|staff|The lady at the counter took all the time we needed.
+|waiting_time|I was in and out within ten minutes.
+|communication|They kept me posted every step of the way.
+|ease_of_use|Booking took me less than a minute.
+|price|Paid less than I expected for what we got.
+|product_quality|Still going strong after three years.
+|ambience|You feel at home the moment you walk in.
+|service|They remembered my name and what I ordered last time.
-|service|I had to explain my problem five times to five different people.
-|communication|Nobody bothered to tell us the appointment had been cancelled.
-|waiting_time|The parcel turned up a week later than they said.
-|product_quality|It stopped working after two days.
-|price|They charged me for things I never ordered.
-|other|How they are still in business is a mystery to me.
-|staff|The man at the desk just shrugged and walked away.
-|service|We were told to come back another day.
-|other|Honestly, spend your money somewhere it is appreciated.
-|communication|I am still waiting for an answer to my email from last month.
-|ease_of_use|It took me half an hour to find where to cancel.
-|service|They promised a refund and I am still waiting for it.
-|price|You pay extra for every little thing.
-|product_quality|Half of the items were missing from the box.
-|ambience|The changing rooms were a mess and smelled of sweat.
-|staff|He talked to us as if we were children.
-|waiting_time|Forty minutes on hold before anyone picked up.
-|other|First and last time, as far as I'm concerned.
~|staff,price|Lovely people, but you pay through the nose for it.
~|product_quality,waiting_time|The product is fine, it just took ages to arrive.
0|-|I ordered on Monday and picked it up on Friday.
0|-|We went there for my mother's birthday.
0|-|My husband had the fish and I had the soup.
0|-|I have been a customer since last spring.
`;
