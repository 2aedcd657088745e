import { z } from 'zod';
import { PRESET_NAMES, termsSchema } from './terms.js';

/**
 * What an operator may set of an agreement (AGR-1, AGR-2), checked the same way over HTTP (PUT
 * /api/v1/operator/tenants/:id/agreement) and on the command line (peil agreement set).
 */
export const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'a date as YYYY-MM-DD')
  .refine(
    (d) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)) && new Date(`${d}T00:00:00Z`).toISOString().startsWith(d),
    'not a calendar date',
  );
const email = z.email().max(254);
const contact = z.object({ name: z.string().trim().min(1).max(200).nullable(), email: email.nullable() });

export const contactsInput = z.object({
  processor: contact.optional(),
  customer: contact.optional(),
  privacyEmail: email.nullable().optional(),
});

export const changeInput = termsSchema.partial().extend({
  preset: z
    .enum(PRESET_NAMES)
    .optional()
    .describe("fills every term from a seed's variant first (others to the default); fields given here override it"),
  version: z.string().trim().min(1).max(40).optional(),
  startDate: isoDate.optional(),
  termMonths: z.number().int().min(1).max(120).optional(),
  renewalMonths: z.number().int().min(1).max(120).nullable().optional(),
  noticeMonths: z.number().int().min(0).max(24).optional(),
  contacts: contactsInput.optional(),
});
