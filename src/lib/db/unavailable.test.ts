import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DatabaseError } from 'pg';
import { describeUrl, errorCode, isConnectionError } from './unavailable.js';

const withCode = (code: string, message = 'x') => Object.assign(new Error(message), { code });

test('SEC-2 a lost or refused database connection is told apart from every other failure (57P01, 57P02, 57P03, 08000, 08003, 08006, ECONNREFUSED, ECONNRESET, "Connection terminated unexpectedly")', () => {
  for (const code of ['57P01', '57P02', '57P03', '08000', '08003', '08006', 'ECONNREFUSED', 'ECONNRESET'])
    assert.ok(isConnectionError(withCode(code)), code);
  const admin = Object.assign(new DatabaseError('terminating connection due to administrator command', 0, 'error'), {
    code: '57P01',
  });
  assert.ok(isConnectionError(admin));
  assert.ok(isConnectionError(new Error('Connection terminated unexpectedly')));
  assert.ok(isConnectionError(new Error('timeout exceeded when trying to connect')));
  assert.ok(isConnectionError(new Error('Client has encountered a connection error and is not queryable')));
  // localhost: one refusal per address, in an AggregateError; a cause chain (Kysely, pg-boss) is followed.
  assert.ok(isConnectionError(new AggregateError([withCode('ECONNREFUSED'), withCode('ECONNREFUSED')])));
  assert.ok(isConnectionError(new Error('wrapped', { cause: withCode('ECONNRESET') })));
  // Not the database being away: these are bugs or refusals that a retry does not cure.
  for (const code of ['23505', '42P01', '28P01', '3D000', '40001', 'PE410', '22P02'])
    assert.ok(!isConnectionError(withCode(code)), code);
  assert.ok(!isConnectionError(new Error('Cannot use a pool after calling end on the pool')));
  assert.ok(!isConnectionError(undefined));
  assert.ok(!isConnectionError('ECONNREFUSED'));
  assert.equal(errorCode(admin), '57P01');
  assert.equal(errorCode(new Error('Connection terminated unexpectedly')), 'Connection terminated unexpectedly');
  assert.equal(
    errorCode(new Error('value "geheim@example.nl" is wrong')),
    'Error',
    'the log names a code, never the message',
  );
  assert.equal(
    describeUrl('postgres://peil:s3cret@db.example:6543/peil?sslmode=require'),
    'db.example:6543/peil',
    'no user or password in messages',
  );
});
