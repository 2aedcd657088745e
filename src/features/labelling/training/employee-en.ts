// English employee-experience (eNPS) examples, written for this project (see index.ts for the format).
export const EMPLOYEE_EN = `
# Workload
-|workload|The workload has been far too high for months.
-|workload|We are permanently understaffed and vacancies stay open.
-|workload|I can't get my own work done because of all the meetings.
+|workload|The workload is manageable since we got extra people.
-|workload,work_life_balance|I work late almost every evening to get everything done.
+|workload|Enough time to do my job properly.
-|workload|Everyone is stretched and sickness absence is high.
-|workload,facilities|Entering the same data in three systems wastes so much time.
~|workload,colleagues|It's very busy, but this team makes it bearable.
-|workload|More and more tasks keep getting added and nothing is taken away.
-|workload|The admin burden is huge.

# Leadership
+|leadership|My manager is always there when I need her.
+|leadership|I get a lot of trust and freedom from my manager.
-|leadership|My manager is never available and decides everything without consulting us.
-|leadership|Decisions are made at the top without involving the people doing the work.
-|leadership|Senior management has no idea what happens on the floor.
+|leadership|Our team lead gives clear direction and appreciates what we do.
-|leadership|I never get feedback unless something goes wrong.
-|leadership|We've had four managers in three years, there's no direction.
-|leadership,culture|The board communicates poorly and changes come as a surprise.
+|leadership,culture|Leadership is open about plans and involves us in decisions.
-|leadership|Promises from management are not kept.
~|leadership,colleagues|Great colleagues, but management leaves us to fend for ourselves.
-|leadership|Micromanagement, everything has to be checked three times.
+|leadership|My line manager really listens and acts on it.

# Colleagues
+|colleagues|Great colleagues, we help each other wherever we can.
+|colleagues|The team is close and we laugh a lot.
-|colleagues|There's a lot of gossip in the team.
-|colleagues|Some colleagues push their work onto others.
+|colleagues|Good cooperation between departments.
+|colleagues|New starters are welcomed and trained well.
-|colleagues,culture|There are cliques and it's hard to fit in as a newcomer.
+|colleagues|My colleagues are the reason I'm still here.
+|colleagues|I can always ask a colleague for help.
-|colleagues|Conflicts in the team are never talked about.

# Pay and benefits
-|pay_benefits|The salary is too low for the work we do.
-|pay_benefits|No pay rise in three years.
+|pay_benefits|Good benefits and a decent pension scheme.
-|pay_benefits|Only temporary contracts, no security.
+|pay_benefits|Finally a permanent contract, I'm really pleased.
-|pay_benefits|Travel allowance doesn't come close to what I spend.
-|pay_benefits|You'd earn a lot more elsewhere for the same job.
~|pay_benefits,colleagues|Nice work and nice people, but the pay lags behind.
-|pay_benefits|Overtime isn't paid.
+|pay_benefits|Competitive salary, always paid on time.

# Development
+|development|Plenty of opportunities for courses and training.
-|development|There is no training budget.
-|development|I've been in the same role for years with no way to progress.
+|development|I was given the chance to move up to a new role.
-|development|Promotions go to the manager's favourites.
+|development|I learn something new every day.
-|development,leadership|My development review has been postponed twice.
+|development|Good mentoring as a new starter.
-|development|Nothing is done with my career ambitions.

# Work-life balance
+|work_life_balance|I can work from home and set my own hours.
-|work_life_balance|The rota comes out a week in advance, you can't plan anything.
-|work_life_balance|I keep getting called on my day off.
+|work_life_balance|Lots of understanding for my childcare commitments.
-|work_life_balance|Working from home is suddenly no longer allowed.
+|work_life_balance|Flexible hours make it easy to combine with my family.
-|work_life_balance|Too many evening and weekend shifts.
+|work_life_balance|Holiday requests are always approved without fuss.
-|work_life_balance|Taking leave in summer is nearly impossible.

# Culture
+|culture|Open atmosphere, you can say anything.
-|culture|There's a culture of fear, nobody dares to speak up.
+|culture|People really appreciate each other here.
-|culture|It's all about who you know.
+|culture|I'm proud of what this organisation stands for.
-|culture|It's all about the numbers now, not about people.
+|culture|Diversity is taken seriously here.
-|culture|Mistakes aren't allowed, people immediately point fingers.
+|culture|Informal culture and short lines of communication.
-|culture|Inappropriate behaviour is not dealt with.
+|culture|We celebrate successes together.
-|culture|There's no room for new ideas.

# Facilities
-|facilities|The laptops are slow and old.
-|facilities|The new scheduling system doesn't work properly.
+|facilities|Lovely new office with good workstations.
-|facilities|Not enough desks in the office, you have to hunt for one by nine.
-|facilities|It's far too hot in the office in summer, no air conditioning.
+|facilities|I have everything I need to do my job.
-|facilities|The electronic records system is slow and often down.
+|facilities|They paid for a proper home office setup, including a chair.
-|facilities|The wifi at our site keeps dropping.

# General
+|other|I enjoy working here.
+|other|Great employer.
-|other|I'm looking for another job.
+|other|Meaningful work, I'd choose it again.
-|other|I wouldn't recommend working here to my friends.
0|-|No comments.
0|-|N/A
0|other|It's a job like any other.
~|other|The work is fine, the organisation less so.
-|other|I no longer get any satisfaction from my work.
+|other|Good employer, not much to complain about.
-|other|Things have gone downhill in recent years.
# More, mixed
-|workload|The job is impossible with so few people on shift.
+|workload|The new planning finally gives us some breathing room.
-|workload,culture|You're expected to be available all the time and pick up extra shifts.
-|leadership|My team leader never has time for a one-to-one.
+|leadership|The new director regularly comes to see how things are going on the floor.
-|leadership|Nobody listens to the people who actually do the work.
+|leadership,development|My manager encourages me to learn new things.
+|colleagues|It's a warm team where everyone looks out for each other.
-|colleagues|I feel left out by my direct colleagues.
-|pay_benefits|Nobody works here for the money.
+|pay_benefits|The salary is fine and the benefits are good.
-|pay_benefits|No allowance for working from home or internet costs.
+|development|There's room to do a course during working hours.
-|development|I never get any training, I have to figure everything out myself.
-|development|No opportunities for promotion whatsoever.
+|development|I've already done three courses through the academy.
+|work_life_balance|I can fit my hours around the school run.
-|work_life_balance|Because of the irregular shifts I hardly see my family.
-|work_life_balance|Leave gets cancelled at the last minute.
+|work_life_balance|Two days a week from home, which works really well.
+|culture|People really look out for each other here.
-|culture|People talk about each other instead of to each other.
-|culture|New ideas get shot down immediately.
+|culture|You're allowed to make mistakes and learn from them.
-|facilities|The timesheet software is a disaster.
+|facilities|Good equipment and things get replaced quickly when they break.
-|facilities|There's no quiet place to make a call or concentrate.
~|facilities,colleagues|The building is old, but the colleagues make up for a lot.
~|workload,pay_benefits|Hard work for reasonable pay, but the pressure is sometimes too much.
~|leadership,work_life_balance|My manager is fine, the rota is the problem.
0|other|I've only just started, so I can't really judge yet.
+|other|I really like it here.
-|other|I can't think of a reason to stay.
`;
