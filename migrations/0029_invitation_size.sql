-- Issue 14: the default invitation of every survey said "één korte vraag ... minder dan een minuut"
-- (one short question, less than a minute), also for a questionnaire of seven, and every survey of a
-- customer had the same subject. The default now names the survey and its size through placeholders
-- ({vragenlijst}/{survey}, {omvang}/{length}, {duur}/{duration}) that are filled when a mail is made
-- (distribution/mail.ts). Surveys whose invitation is still exactly the old default get the new one;
-- a text the customer changed is left as it is.
UPDATE surveys s
   SET definition = jsonb_set(
         jsonb_set(s.definition, '{invitation,body}', jsonb_build_object(
           'nl', E'Beste {naam},\n\nWil je ons helpen met {omvang}? Het kost je {duur}.',
           'en', E'Dear {name},\n\nWould you help us with {length}? It takes {duration}.')),
         '{invitation,subject}',
         CASE WHEN s.definition #>> '{invitation,subject,nl}' = t.name || ' hoort graag je mening'
               AND s.definition #>> '{invitation,subject,en}' = t.name || ' would like to hear from you'
              THEN jsonb_build_object('nl', t.name || ' hoort graag je mening over {vragenlijst}', 'en', t.name || ' would like to hear from you about {survey}')
              ELSE s.definition #> '{invitation,subject}' END)
  FROM tenants t
 WHERE t.id = s.tenant_id
   AND s.definition #>> '{invitation,body,nl}' = E'Beste {naam},\n\nWil je ons helpen met één korte vraag? Het kost je minder dan een minuut.'
   AND s.definition #>> '{invitation,body,en}' = E'Dear {name},\n\nWould you help us with one short question? It takes less than a minute.';
