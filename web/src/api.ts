import type { Problem } from './types';
import { currentLanguage, i18n } from './i18n';

/** An API call that failed; `problem` is the server's problem+json, or one made up for network errors. */
export class ApiError extends Error {
  constructor(readonly problem: Problem) {
    super(problem.detail || problem.title);
    this.name = 'ApiError';
  }
  get status(): number {
    return this.problem.status;
  }
}

function isProblem(v: unknown): v is Problem {
  return (
    typeof v === 'object' &&
    v !== null &&
    typeof (v as Problem).status === 'number' &&
    typeof (v as Problem).title === 'string'
  );
}

function problemFrom(status: number, body: unknown, statusText: string): Problem {
  if (isProblem(body)) return { ...body, detail: body.detail || body.title };
  return {
    type: 'about:blank',
    title: i18n.t('common:problem.requestFailed'),
    status,
    detail:
      status === 0 ? i18n.t('common:problem.unreachable') : i18n.t('common:problem.unexpected', { status, statusText }),
    code: status === 0 ? 'network_error' : 'unexpected_response',
  };
}

/** Paths whose 401 means "wrong password", not "your session ended". */
const SIGN_IN_PATHS = [
  '/api/v1/auth/sign-in',
  '/api/v1/operator/sign-in',
  '/api/v1/auth/accept-invite',
  '/api/v1/auth/me',
];

/**
 * Tells the app about answers that change where the user belongs: a 401 (the session ended), or a
 * 403 saying the organisation now requires a second factor that this user has not set up yet.
 */
function reportUnauthenticated(path: string, status: number, body?: unknown): void {
  if (status === 401 && !SIGN_IN_PATHS.includes(path)) window.dispatchEvent(new Event('peil:unauthenticated'));
  if (status === 403 && isProblem(body) && body.secondFactorEnrolmentRequired === true)
    window.dispatchEvent(new Event('peil:enrolment-required'));
  // OBLIGATIONS AGR-6: the operator suspended the organisation while this user was working.
  if (status === 403 && isProblem(body) && body.suspended === true)
    window.dispatchEvent(new CustomEvent('peil:suspended', { detail: body }));
  // OBLIGATIONS END-2: the organisation's agreement ended while this user was working.
  if (status === 403 && isProblem(body) && body.ended === true)
    window.dispatchEvent(new CustomEvent('peil:ended', { detail: body }));
}

/** The CSRF token the server set at sign-in (a readable cookie), echoed in a header on every change. */
function csrfHeader(method: string): Record<string, string> {
  if (method === 'GET' || method === 'HEAD') return {};
  const token = /(?:^|;\s*)peil_csrf=([^;]+)/.exec(document.cookie)?.[1];
  return token ? { 'x-csrf-token': decodeURIComponent(token) } : {};
}

/** Same-origin JSON call with the session cookie. Resolves with the parsed body (undefined for 204). */
export async function api<T>(
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
  path: string,
  body?: unknown,
  init: { signal?: AbortSignal } = {},
): Promise<T> {
  let res: Response;
  try {
    res = await fetch(path, {
      method,
      credentials: 'same-origin',
      headers: {
        accept: 'application/json, application/problem+json',
        'accept-language': currentLanguage(),
        ...csrfHeader(method),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: init.signal,
    });
  } catch (err) {
    if ((err as Error).name === 'AbortError') throw err;
    throw new ApiError(problemFrom(0, undefined, ''));
  }
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  let parsed: unknown;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = undefined;
  }
  if (!res.ok) {
    reportUnauthenticated(path, res.status, parsed);
    throw new ApiError(problemFrom(res.status, parsed, res.statusText));
  }
  return parsed as T;
}

export const get = <T>(path: string, signal?: AbortSignal) => api<T>('GET', path, undefined, signal ? { signal } : {});
export const post = <T>(path: string, body?: unknown) => api<T>('POST', path, body ?? {});
export const put = <T>(path: string, body: unknown) => api<T>('PUT', path, body);
export const patch = <T>(path: string, body: unknown) => api<T>('PATCH', path, body);

/**
 * Uploads one file as multipart/form-data (field `file`) with XMLHttpRequest, because fetch cannot
 * report upload progress. `onProgress` gets a fraction from 0 to 1.
 */
export function uploadFile<T>(path: string, file: File, onProgress: (fraction: number) => void): Promise<T> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', path);
    xhr.setRequestHeader('accept', 'application/json, application/problem+json');
    xhr.setRequestHeader('accept-language', currentLanguage());
    for (const [k, v] of Object.entries(csrfHeader('POST'))) xhr.setRequestHeader(k, v);
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable && e.total > 0) onProgress(e.loaded / e.total);
    };
    xhr.upload.onload = () => onProgress(1);
    xhr.onerror = () => reject(new ApiError(problemFrom(0, undefined, '')));
    xhr.onload = () => {
      let parsed: unknown;
      try {
        parsed = xhr.responseText ? JSON.parse(xhr.responseText) : undefined;
      } catch {
        parsed = undefined;
      }
      if (xhr.status >= 200 && xhr.status < 300) resolve(parsed as T);
      else {
        reportUnauthenticated(path, xhr.status, parsed);
        reject(new ApiError(problemFrom(xhr.status, parsed, xhr.statusText)));
      }
    };
    const form = new FormData();
    form.append('file', file, file.name);
    xhr.send(form);
  });
}

/** Turns anything thrown into a problem to show. */
export function toProblem(err: unknown): Problem {
  if (err instanceof ApiError) return err.problem;
  return {
    type: 'about:blank',
    title: i18n.t('common:problem.somethingWrong'),
    status: 0,
    detail: err instanceof Error ? err.message : String(err),
    code: 'client_error',
  };
}
