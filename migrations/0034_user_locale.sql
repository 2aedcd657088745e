-- Issue 14: the admin app in Dutch and English, with a language choice per person kept on the
-- server (so it follows the user to another browser and survives a new sign-in). Dutch by default:
-- Peil is for Dutch organisations. Operators have their own table and choose too.
ALTER TABLE users ADD COLUMN locale text NOT NULL DEFAULT 'nl' CHECK (locale IN ('nl', 'en'));
ALTER TABLE operators ADD COLUMN locale text NOT NULL DEFAULT 'nl' CHECK (locale IN ('nl', 'en'));
