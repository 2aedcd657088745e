/**
 * Checking answers against the OpenAPI document: is the status documented, the media type one the
 * document names, every required header there (and of its schema), and the body valid against the
 * schema? Used by src/contract.test.ts on every answer the generated client gets.
 */
import { createRequire } from 'node:module';

export interface ValidateFn {
  (data: unknown): boolean;
  errors?: { instancePath: string; message?: string }[] | null;
}
type Ajv2020 = new (opts: Record<string, unknown>) => { compile(schema: object): ValidateFn };

/**
 * ajv 8's JSON Schema 2020-12 build (the dialect of OpenAPI 3.1). ajv 8 is a devDependency; a
 * node_modules installed before it was added still has eslint's ajv 6 on top, and then the ajv 8
 * that Fastify itself validates with (under @fastify/ajv-compiler) is used.
 */
export function loadAjv2020(): Ajv2020 {
  const require = createRequire(import.meta.url);
  const from = [import.meta.url];
  try {
    from.push(require.resolve('@fastify/ajv-compiler'));
  } catch {
    // not installed on its own: only the project's ajv
  }
  for (const base of from) {
    try {
      return (createRequire(base)('ajv/dist/2020') as { Ajv2020: Ajv2020 }).Ajv2020;
    } catch {
      // an ajv without the 2020 build (ajv 6): try the next place
    }
  }
  throw new Error('ajv 8 (ajv/dist/2020) is not installed: run npm install');
}

type Json = Record<string, unknown>;
interface ResponseObject {
  description?: string;
  headers?: Record<string, { required?: boolean; schema?: Json }>;
  content?: Record<string, { schema?: Json }>;
}
/** A document whose references are resolved (swagger-parser's `dereference`). */
export interface DereferencedDoc {
  paths: Record<string, Record<string, { responses?: Record<string, ResponseObject> }>>;
}

export interface Answer {
  method: string;
  /** The path as the document names it: /api/v1/surveys/{id}. */
  path: string;
  status: number;
  headers: Headers;
  body: string;
}

export class ContractChecker {
  private readonly ajv: { compile(schema: object): ValidateFn };
  private readonly compiled = new WeakMap<object, ValidateFn>();
  /** Every answer checked, as `METHOD path status`. */
  readonly seen: string[] = [];

  constructor(private readonly doc: DereferencedDoc) {
    const Ajv = loadAjv2020();
    // Formats are left to the patterns zod writes beside them; OpenAPI's own keywords are annotations.
    this.ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });
  }

  /** What is wrong with the answer, as the document has it ([] when nothing). */
  problems(a: Answer): string[] {
    const where = `${a.method.toUpperCase()} ${a.path} → ${a.status}`;
    this.seen.push(where);
    const op = this.doc.paths[a.path]?.[a.method.toLowerCase()];
    if (!op) return [`${where}: the operation is not in the document`];
    const responses = op.responses ?? {};
    const r = responses[String(a.status)] ?? responses[`${String(a.status)[0]}XX`] ?? responses.default;
    if (!r) return [`${where}: the status is not documented (${Object.keys(responses).join(', ')})`];
    const out: string[] = [];
    for (const [name, h] of Object.entries(r.headers ?? {})) {
      const value = a.headers.get(name);
      if (value === null) {
        if (h.required) out.push(`${where}: the required header ${name} is missing`);
        continue;
      }
      if (h.schema)
        out.push(
          ...this.validate(h.schema, h.schema.type === 'integer' && /^\d+$/.test(value) ? Number(value) : value).map(
            (p) => `${where}: header ${name} ${p}`,
          ),
        );
    }
    const type = (a.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
    if (!r.content) {
      if (a.body !== '') out.push(`${where}: a body (${type}) where the document has none`);
      return out;
    }
    const media = r.content[type];
    if (!media)
      return [...out, `${where}: ${type || 'no media type'}, the document has ${Object.keys(r.content).join(', ')}`];
    if (a.status >= 400 && a.path.startsWith('/api/') && type !== 'application/problem+json')
      out.push(`${where}: an error that is not problem+json`);
    if (media.schema) {
      let value: unknown = a.body;
      if (/json$/.test(type)) {
        try {
          value = JSON.parse(a.body);
        } catch {
          return [...out, `${where}: the body is not JSON`];
        }
      }
      out.push(...this.validate(media.schema, value).map((p) => `${where}: body ${p}`));
    }
    return out;
  }

  private validate(schema: Json, value: unknown): string[] {
    let v = this.compiled.get(schema);
    if (!v) {
      v = this.ajv.compile(schema);
      this.compiled.set(schema, v);
    }
    return v(value) ? [] : (v.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? ''}`);
  }
}
