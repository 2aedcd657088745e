import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startSmtp, type TestSmtp } from '../../../test/smtp.js';
import { SmtpMailer } from './mailer.js';

// The pooled transport sends each mail as one pre-built buffer: Peil's own composer (mime.ts) for
// ASCII addresses and header values, nodemailer's MailComposer for anything else. Both must arrive
// with the same subject, bodies and headers, as a mail client parses them (postal-mime).
describe('SMTP mailer', () => {
  let smtp: TestSmtp;
  before(async () => {
    smtp = await startSmtp();
  });
  after(async () => smtp.close());

  const subject =
    'Énquête van Bakkerij ’t Hoekje 🍞: hoe waarschijnlijk is het dat je ons aanbeveelt aan een vriend, collega of familielid?';
  const text =
    'Beste Zoë,\n\n.begint met een punt\nRegel met é, ñ, 😀 en een lange regel ' +
    'x'.repeat(300) +
    '\n\nhttps://peil.example/s/abc\n';
  const html =
    '<!doctype html><html lang="nl"><body><p>Beste Zoë,</p><p>.punt</p><p><a href="https://peil.example/s/abc">Beantwoord</a></p></body></html>';
  const headers = {
    'List-Unsubscribe': '<https://peil.example/u/' + 'A'.repeat(120) + '>',
    'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
  };

  for (const [name, from] of [
    ['Peil composer', 'Peil <noreply@peil.example>'],
    ['MailComposer fallback (non-ASCII sender name)', 'Peil Enquête <noreply@peil.example>'],
  ] as const) {
    test(`SVC-3 DSR-3 ${name}: subject, text, HTML and List-Unsubscribe headers arrive intact`, async () => {
      const mailer = new SmtpMailer(smtp.url, from, 2);
      try {
        const before = smtp.mails.length;
        const res = await mailer.send('t', 'invitation', { to: 'zoe@example.nl', subject, text, html, headers });
        assert.equal(res.ok, true, res.response);
        assert.match(res.messageId ?? '', /^<[0-9a-f-]{36}@peil\.example>$/);
        const mail = (await smtp.waitFor(before + 1))[before]!;
        assert.equal(mail.from, 'noreply@peil.example');
        assert.deepEqual(mail.to, ['zoe@example.nl']);
        assert.equal(mail.subject, subject);
        assert.equal(mail.text.replace(/\r\n/g, '\n').trimEnd(), text.trimEnd());
        assert.equal(mail.html.trimEnd(), html);
        assert.equal(mail.headers['list-unsubscribe'], headers['List-Unsubscribe']);
        assert.equal(mail.headers['list-unsubscribe-post'], 'List-Unsubscribe=One-Click');
        assert.equal(mail.headers['message-id'], res.messageId);
        assert.ok(mail.headers.date && !Number.isNaN(Date.parse(mail.headers.date)), 'a Date header');
        assert.ok(
          mail.raw.split('\r\n').every((l) => l.length <= 998),
          'no line longer than 998 characters',
        );
        assert.equal(
          mail.raw.includes('boundary="--_peil_'),
          name === 'Peil composer',
          'the composer that was meant to build it',
        );
      } finally {
        await mailer.close();
      }
    });
  }

  test('SVC-3 a refused recipient is a permanent failure', async () => {
    const mailer = new SmtpMailer(smtp.url, 'Peil <noreply@peil.example>', 2);
    try {
      smtp.reject.add('weg@example.nl');
      const res = await mailer.send('t', 'invitation', { to: 'weg@example.nl', subject: 'x', text: 'y', headers });
      assert.equal(res.ok, false);
      assert.equal(res.permanent, true);
    } finally {
      await mailer.close();
    }
  });
});
