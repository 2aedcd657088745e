import nodemailer, { type Transporter } from 'nodemailer';
import MailComposer from 'nodemailer/lib/mail-composer/index.js';
import addressparser from 'nodemailer/lib/addressparser/index.js';
import type SMTPPool from 'nodemailer/lib/smtp-pool/index.js';
import { randomUUID } from 'node:crypto';
import type { Db } from '../db/db.js';
import type { Keyring } from '../crypto/keyring.js';
import { composeRaw } from './mime.js';
import { mailsSent } from '../metrics.js';

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  html?: string | undefined;
  headers?: Record<string, string> | undefined;
}

/** What was stored in the outbox (encrypted with the tenant's key, since it names a person). */
export interface OutboxMail extends MailMessage {
  from: string;
}

export interface SendResult {
  ok: boolean;
  messageId?: string | undefined;
  /** The server's answer, or the error, for the invitation's record. */
  response?: string | undefined;
  /** A refusal that will not change on retry (SMTP 5xx): no point in trying again. */
  permanent?: boolean;
}

export interface Mailer {
  readonly kind: 'smtp' | 'outbox';
  send(tenantId: string, kind: string, msg: MailMessage): Promise<SendResult>;
  /** Issue 15 (/readyz): throws when mail cannot be handed over now (the SMTP server does not answer). */
  check(): Promise<void>;
  close(): Promise<void>;
}

/** Pooled SMTP (nodemailer): unpooled sending manages ~10 msg/s, a pool of 10 about 2,000 (DESIGN.md). */
export class SmtpMailer implements Mailer {
  readonly kind = 'smtp' as const;
  private readonly transport: Transporter<SMTPPool.SentMessageInfo>;

  private readonly fromAddress: string;
  private readonly fromDomain: string;

  constructor(
    url: string,
    private readonly from: string,
    poolSize: number,
  ) {
    this.fromAddress = addressparser(from, { flatten: true })[0]?.address ?? from;
    this.fromDomain = this.fromAddress.split('@').pop() || 'peil.localhost';
    const u = new URL(url);
    this.transport = nodemailer.createTransport({
      pool: true,
      host: u.hostname,
      port: Number(u.port || (u.protocol === 'smtps:' ? 465 : 587)),
      secure: u.protocol === 'smtps:',
      auth: u.username ? { user: decodeURIComponent(u.username), pass: decodeURIComponent(u.password) } : undefined,
      maxConnections: poolSize,
      maxMessages: Infinity,
      // A local or test server without a certificate is allowed only when the URL says so.
      tls: { rejectUnauthorized: u.searchParams.get('tls_reject_unauthorized') !== 'false' },
      ignoreTLS: u.searchParams.get('starttls') === 'false',
    } as SMTPPool.Options);
  }

  /**
   * Each message is built once, in memory, as one buffer and handed to the pool as `raw` with its
   * envelope: Peil's plain ASCII-addressed mails by the small composer in mime.ts, anything else by
   * nodemailer's own MailComposer. Streaming nodemailer's MIME tree straight into the socket wrote
   * every mail in dozens of small pieces (one system call each), and its builder was ~20% of the
   * send path's CPU (bench/invitations.ts, README "Benchmarks").
   */
  async send(_tenantId: string, _kind: string, msg: MailMessage): Promise<SendResult> {
    try {
      const messageId = `<${randomUUID()}@${this.fromDomain}>`;
      let envelope = { from: this.fromAddress, to: [msg.to] };
      let raw = composeRaw({
        from: this.from,
        to: msg.to,
        subject: msg.subject,
        text: msg.text,
        html: msg.html,
        headers: msg.headers,
        messageId,
      });
      if (!raw) {
        const node = new MailComposer({
          from: this.from,
          to: msg.to,
          subject: msg.subject,
          text: msg.text,
          html: msg.html,
          headers: msg.headers,
          messageId,
        }).compile();
        envelope = node.getEnvelope() as { from: string; to: string[] };
        raw = await node.build();
      }
      const info = await this.transport.sendMail({ envelope, raw });
      const rejected = (info.rejected ?? []).length > 0;
      mailsSent.inc({ transport: 'smtp', outcome: rejected ? 'failed' : 'sent' });
      return { ok: !rejected, messageId, response: info.response, permanent: rejected };
    } catch (err) {
      mailsSent.inc({ transport: 'smtp', outcome: 'failed' });
      const code = (err as { responseCode?: number }).responseCode;
      return { ok: false, response: (err as Error).message, permanent: code !== undefined && code >= 500 };
    }
  }

  private checkedAt = 0;

  /**
   * The SMTP server greets and accepts the login (nodemailer's verify, on a connection of its own). A
   * success counts for 30 s, so that a readiness probe every few seconds does not open a connection
   * each time.
   */
  async check(): Promise<void> {
    if (Date.now() - this.checkedAt < 30_000) return;
    await this.transport.verify();
    this.checkedAt = Date.now();
  }

  async close(): Promise<void> {
    this.transport.close();
  }
}

/**
 * The embedded default: mail is kept in the tenant's outbox table, where an admin can read it, so
 * `npm start` needs no mail server. Nothing leaves the machine.
 */
export class OutboxMailer implements Mailer {
  readonly kind = 'outbox' as const;

  constructor(
    private readonly db: Db,
    private readonly keyring: Keyring,
    private readonly from: string,
  ) {}

  async send(tenantId: string, kind: string, msg: MailMessage): Promise<SendResult> {
    const keys = await this.keyring.forTenant(tenantId);
    const id = randomUUID();
    const mail: OutboxMail = { ...msg, from: this.from };
    try {
      await this.db.tenant(tenantId, (tx) =>
        tx
          .insertInto('outbox')
          .values({ tenant_id: tenantId, id, kind, message_enc: keys.sealJson(mail) })
          .execute(),
      );
    } catch (err) {
      mailsSent.inc({ transport: 'outbox', outcome: 'failed' });
      throw err;
    }
    mailsSent.inc({ transport: 'outbox', outcome: 'sent' });
    return { ok: true, messageId: `<${id}@outbox.peil>`, response: 'stored in outbox' };
  }

  /** The outbox is a table: usable whenever the database is (checked on its own). */
  async check(): Promise<void> {}

  async close(): Promise<void> {}
}
