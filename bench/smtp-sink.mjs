// A local SMTP server that accepts and discards every message, in its own process (as a real mail
// server would be), so that it does not take the sender's CPU. Prints its port; answers "count" on stdin.
import { SMTPServer } from 'smtp-server';
let received = 0;
const server = new SMTPServer({
  authOptional: true,
  disabledCommands: ['STARTTLS', 'AUTH'],
  disableReverseLookup: true,
  logger: false,
  onData(stream, _session, cb) {
    stream.on('data', () => {});
    stream.on('end', () => {
      received++;
      cb();
    });
  },
});
server.listen(0, '127.0.0.1', () => process.stdout.write(`port ${server.server.address().port}\n`));
process.stdin.setEncoding('utf8');
process.stdin.on('data', (d) => {
  if (d.includes('count')) process.stdout.write(`count ${received}\n`);
  // CPU time (user + system, ms) this process has used so far: the sink shares the machine's cores.
  if (d.includes('cpu')) {
    const u = process.cpuUsage();
    process.stdout.write(`cpu ${Math.round((u.user + u.system) / 1000)}\n`);
  }
  if (d.includes('exit')) server.close(() => process.exit(0));
});
