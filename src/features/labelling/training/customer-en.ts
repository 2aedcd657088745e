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
`;
