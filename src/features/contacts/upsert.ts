import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../context.js';
import { Permission } from '../../lib/permissions.js';
import { actorOf, callerOf } from '../auth/guard.js';
import { contactInput, upsertContact, upsertContactBatch } from './upsert-contact.js';

/**
 * Contacts by API (OBLIGATIONS SVC-1, SVC-5): upsert by email address, with the same normalisation,
 * checks and de-duplication (the blind index) as the file import. A field left out, null or empty
 * keeps what is stored; profile values merge. Clearing a value is a correction (PATCH).
 */

export const MAX_BATCH = 1000;

const result = z.object({ id: z.uuid(), email: z.string(), status: z.enum(['created', 'updated']) });
const created = result.meta({
  examples: [{ id: '3a4b5c6d-7e8f-4a0b-9c1d-2e3f4a5b6c7d', email: 'jan.de.vries@example.nl', status: 'created' }],
});
const updated = result.meta({
  examples: [{ id: '3a4b5c6d-7e8f-4a0b-9c1d-2e3f4a5b6c7d', email: 'jan.de.vries@example.nl', status: 'updated' }],
});

export function upsertRoutes(ctx: AppContext, app: FastifyInstance): void {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.post(
    '/api/v1/contacts',
    {
      config: { access: { permission: Permission.CONTACTS_WRITE } },
      schema: {
        tags: ['contacts'],
        summary: 'Create or update one contact, by email address (upsert)',
        description:
          '201 when the contact is new, 200 when a contact with this address (in any case) existed and was updated. Fields left out, null or empty keep the stored value; profile values merge. The same checks as the file import; problems come back as 422 with a JSON pointer per field.',
        body: contactInput,
        response: { 200: updated, 201: created },
      },
    },
    async (request, reply) => {
      const auth = callerOf(request);
      const keys = await ctx.keyring.forTenant(auth.tenantId);
      const out = await ctx.db.tenant(auth.tenantId, async (tx) => {
        const { id, email, created } = await upsertContact(
          tx,
          auth.tenantId,
          keys,
          actorOf(request, auth),
          request.body,
        );
        return { id, email, status: created ? ('created' as const) : ('updated' as const) };
      });
      return reply.code(out.status === 'created' ? 201 : 200).send(out);
    },
  );

  r.post(
    '/api/v1/contacts/batch',
    {
      config: { access: { permission: Permission.CONTACTS_WRITE } },
      // 1,000 contacts with profile values can pass the default 1 MiB.
      bodyLimit: 4 * 1024 * 1024,
      schema: {
        tags: ['contacts'],
        summary: `Create or update up to ${MAX_BATCH} contacts at once, all or nothing`,
        description:
          'Each contact as in POST /api/v1/contacts. If any contact is not valid, nothing is stored and the answer is 422 with every problem by pointer (/body/contacts/3/email). The same address twice in one batch is one contact (the later values win). The result lists each contact of the request, in order.',
        body: z
          .object({ contacts: z.array(contactInput).min(1).max(MAX_BATCH) })
          .strict()
          .meta({
            examples: [
              {
                contacts: [
                  {
                    email: 'jan.de.vries@example.nl',
                    firstName: 'Jan',
                    infix: 'de',
                    lastName: 'Vries',
                    language: 'nl',
                    profile: { afdeling: 'Zorg', uren: 32 },
                  },
                  {
                    email: 'fatima.el-amrani@example.nl',
                    firstName: 'Fatima',
                    lastName: 'El Amrani',
                    phone: '+31 20 123 4567',
                    gender: 'vrouw',
                    language: 'nl',
                    function: 'Teamleider',
                    profile: { afdeling: 'Facilitair', in_dienst_sinds: '15-03-2021' },
                  },
                  {
                    email: 'pieter.bakker@example.nl',
                    firstName: 'Pieter',
                    lastName: 'Bakker',
                    language: 'en',
                    profile: { afdeling: 'Staf', uren: '24,5' },
                  },
                ],
              },
            ],
          }),
        response: {
          200: z
            .object({
              created: z.number(),
              updated: z.number(),
              duplicates: z.number().describe('contacts that repeated an address earlier in the batch'),
              contacts: z.array(result),
            })
            .meta({
              examples: [
                {
                  created: 2,
                  updated: 1,
                  duplicates: 0,
                  contacts: [
                    { id: '3a4b5c6d-7e8f-4a0b-9c1d-2e3f4a5b6c7d', email: 'jan.de.vries@example.nl', status: 'updated' },
                    {
                      id: '7c8d9e0f-1a2b-4c3d-8e4f-5a6b7c8d9e0f',
                      email: 'fatima.el-amrani@example.nl',
                      status: 'created',
                    },
                    {
                      id: 'b1c2d3e4-f5a6-4b7c-9d8e-0f1a2b3c4d5e',
                      email: 'pieter.bakker@example.nl',
                      status: 'created',
                    },
                  ],
                },
              ],
            }),
        },
      },
    },
    async (request) => {
      const auth = callerOf(request);
      const keys = await ctx.keyring.forTenant(auth.tenantId);
      return ctx.db.tenant(auth.tenantId, (tx) =>
        upsertContactBatch(tx, auth.tenantId, keys, actorOf(request, auth), request.body.contacts),
      );
    },
  );
}
