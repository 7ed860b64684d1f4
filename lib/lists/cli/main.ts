/**
 * `npm run lists -- <command>` (node runs this file directly, stripping its types). The only
 * module of the CLI that touches the process: files, terminal, clock and Node's scrypt.
 */
import { scrypt } from 'node:crypto';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { runCli, type CliIo } from './run.ts';

/** One line from stdin; on a terminal without echo, so the password is not shown. */
async function readPassword(prompt: string): Promise<string> {
  const { stdin, stderr } = process;
  if (!stdin.isTTY) {
    const lines = createInterface({ input: stdin });
    for await (const line of lines) {
      lines.close();
      return line;
    }
    return '';
  }
  stderr.write(prompt);
  stdin.setRawMode(true);
  stdin.resume();
  let password = '';
  try {
    for await (const chunk of stdin) {
      for (const char of String(chunk)) {
        if (char === '\r' || char === '\n') return password;
        if (char === '\u0003') throw new Error('interrupted');
        if (char === '\u007f') password = password.slice(0, -1);
        else password += char;
      }
    }
    return password;
  } finally {
    stdin.setRawMode(false);
    stdin.pause();
    stderr.write('\n');
  }
}

const io: CliIo = {
  readFile: (path) => readFileSync(path),
  writeFile: (path, text) => writeFileSync(path, text),
  isFile: (path) => statSync(path, { throwIfNoEntry: false })?.isFile() === true,
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
  now: () => Date.now(),
  readPassword,
  // minisign's own parameters need 1 GiB (N = 2^20, r = 8): allow that much and a little more.
  deriveKeyStream: (password, { salt, N, r, p, length }) =>
    new Promise((resolve, reject) => {
      scrypt(password, salt, length, { N, r, p, maxmem: 129 * N * r * p + 64 * 1024 * 1024 }, (error, key) =>
        error ? reject(error) : resolve(new Uint8Array(key)),
      );
    }),
};

// `npm run lists -- lint big.json | head` closes the pipe early: that is not an error.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code !== 'EPIPE') throw error;
});

process.exitCode = await runCli(process.argv.slice(2), io);
