-- Issue 14: the admin app in Dutch and English, with a language choice per person kept on the
-- server (so it follows the user to another browser and survives a new sign-in). NULL: not chosen
-- yet, which is Dutch (Peil is for Dutch organisations) unless the browser in use already has a
-- choice (made with the switch before this person ever chose on the server). Operators have their
-- own table and choose too.
ALTER TABLE users ADD COLUMN locale text CHECK (locale IN ('nl', 'en'));
ALTER TABLE operators ADD COLUMN locale text CHECK (locale IN ('nl', 'en'));
