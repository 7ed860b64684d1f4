import { parseArgs, type ParseArgsConfig } from 'node:util';
import { loadBundledLists } from '../bundled-lists.ts';
import { parseList, type RelayList } from '../list-schema.ts';
import { parsePublicKey, parseSignature, verifySignature, type MinisignAlgorithm } from '../minisign.ts';
import { describeChange, diffLists, summarize } from './diff.ts';
import { formatProblem, lintListText } from './lint.ts';
import { defaultTrustedComment, parseSecretKey, publicKeyFileOf, signMessage, type DeriveKeyStream, type MinisignSecretKey } from './secret-key.ts';

/**
 * `npm run lists -- <command>`: the maintainer's tools, on the same schema, matcher and verifier
 * the extension runs. Everything outside (files, output, clock, password, scrypt) comes through
 * `CliIo`, so main.ts is the only place that touches the process.
 */

export interface CliIo {
  /** Throws like fs.readFileSync when the file cannot be read. */
  readFile(path: string): Uint8Array;
  writeFile(path: string, text: string): void;
  isFile(path: string): boolean;
  out(line: string): void;
  err(line: string): void;
  now(): number;
  readPassword(prompt: string): Promise<string>;
  deriveKeyStream: DeriveKeyStream;
}

const EXIT_OK = 0;
/** A problem with the input: lint errors, a signature that does not verify, a file that cannot be read. */
const EXIT_PROBLEM = 1;
/** The command line itself is wrong. */
const EXIT_USAGE = 2;

const MAX_PROBLEMS_SHOWN = 200;

const USAGE = `Usage: npm run lists -- <command> [options]

  lint <file>...                      check lists: schema, duplicates, shadowed entries, unknown
                                      fields, blocks that would reach a first-party vendor host
  sign <file> --secret-key <path>     lint, then write <file>.minisig (minisign-compatible)
       [--legacy]                     legacy Ed algorithm instead of the default prehashed ED
       [--trusted-comment <text>]     default: timestamp:<now>\\tfile:<name>\\thashed
       [--untrusted-comment <text>]   default: signature from minisign secret key
       [--output <path>]              default: <file>.minisig
       [--no-lint]                    sign even if lint finds errors (any file, not only lists)
  verify <file> --public-key <key|path>
       [--signature <path>]           default: <file>.minisig
  diff <old> <new>                    what changed between two versions of a list

Exit status: 0 success, 1 a problem with the input, 2 a wrong command line.`;

class CliError extends Error {
  readonly exitCode: number;
  constructor(message: string, exitCode: number = EXIT_PROBLEM) {
    super(message);
    this.exitCode = exitCode;
  }
}

function parse<const Options extends NonNullable<ParseArgsConfig['options']>>(
  argv: readonly string[],
  options: Options,
  positionals: { min: number; max: number; name: string },
) {
  let parsed;
  try {
    parsed = parseArgs({ args: [...argv], options, allowPositionals: true, strict: true as const });
  } catch (cause) {
    throw new CliError(`${cause instanceof Error ? cause.message : String(cause)}\n\n${USAGE}`, EXIT_USAGE);
  }
  const count = parsed.positionals.length;
  if (count < positionals.min || count > positionals.max) throw new CliError(`expected ${positionals.name}\n\n${USAGE}`, EXIT_USAGE);
  return parsed;
}

function readBytes(io: CliIo, path: string): Uint8Array {
  try {
    return io.readFile(path);
  } catch (cause) {
    const code = (cause as { code?: string }).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : cause instanceof Error ? cause.message : String(cause);
    throw new CliError(`${path}: cannot read: ${why}`);
  }
}

function readText(io: CliIo, path: string): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(readBytes(io, path));
  } catch (cause) {
    if (cause instanceof CliError) throw cause;
    throw new CliError(`${path}: not UTF-8 text`);
  }
}

function readList(io: CliIo, path: string): RelayList {
  const parsed = parseList(readText(io, path));
  if (parsed.ok) return parsed.value;
  throw new CliError([`${path}: ${parsed.error.message}`, ...parsed.error.issues.map((issue) => `  ${path}: ${issue}`)].join('\n'));
}

function requiredOption(value: unknown, name: string): string {
  if (typeof value !== 'string' || value === '') throw new CliError(`missing --${name}\n\n${USAGE}`, EXIT_USAGE);
  return value;
}

/** Prints a file's lint problems; returns whether any was an error. */
function lintFile(io: CliIo, path: string): boolean {
  const report = lintListText(readText(io, path), loadBundledLists().lists);
  // One stream, so problems stay in entry order.
  for (const problem of report.problems.slice(0, MAX_PROBLEMS_SHOWN)) io.err(formatProblem(path, problem));
  if (report.problems.length > MAX_PROBLEMS_SHOWN) io.err(`${path}: … and ${report.problems.length - MAX_PROBLEMS_SHOWN} more problems`);
  const errors = report.problems.filter((problem) => problem.severity === 'error').length;
  const warnings = report.problems.length - errors;
  const counts = `${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}`;
  (errors > 0 ? io.err : io.out)(`${path}: ${report.totalEntries} entries, ${counts}`);
  return errors > 0;
}

async function lintCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const { positionals } = parse(argv, {}, { min: 1, max: Infinity, name: 'at least one list file' });
  let failed = false;
  for (const path of positionals) {
    try {
      if (lintFile(io, path)) failed = true;
    } catch (cause) {
      if (!(cause instanceof CliError)) throw cause;
      io.err(`error: ${cause.message}`);
      failed = true;
    }
  }
  return failed ? EXIT_PROBLEM : EXIT_OK;
}

function baseName(path: string): string {
  return path.split(/[\\/]/).pop() ?? path;
}

/** Reads the secret key, asking for its password only when it has one. */
async function loadSecretKey(io: CliIo, keyPath: string): Promise<MinisignSecretKey> {
  const keyText = readText(io, keyPath);
  let secretKey = await parseSecretKey(keyText);
  if (!secretKey.ok && secretKey.error.code === 'password-required') {
    const password = await io.readPassword(`Password for ${keyPath}: `);
    secretKey = await parseSecretKey(keyText, { password, derive: io.deriveKeyStream });
  }
  if (!secretKey.ok) throw new CliError(`${keyPath}: ${secretKey.error.message}`);
  return secretKey.value;
}

async function signCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const { positionals, values } = parse(
    argv,
    {
      'secret-key': { type: 'string' },
      'trusted-comment': { type: 'string' },
      'untrusted-comment': { type: 'string' },
      output: { type: 'string' },
      legacy: { type: 'boolean' },
      'no-lint': { type: 'boolean' },
    },
    { min: 1, max: 1, name: 'one file to sign' },
  );
  const path = positionals[0]!;
  const keyPath = requiredOption(values['secret-key'], 'secret-key');
  const message = readBytes(io, path);
  if (values['no-lint'] !== true && lintFile(io, path)) {
    throw new CliError(`${path}: not signed: fix the errors above first (or pass --no-lint to sign anyway)`);
  }

  const secretKey = await loadSecretKey(io, keyPath);

  const algorithm: MinisignAlgorithm = values.legacy === true ? 'legacy' : 'prehashed';
  const trustedComment = values['trusted-comment'] ?? defaultTrustedComment(baseName(path), algorithm, io.now());
  const signed = await signMessage(message, secretKey, {
    algorithm,
    trustedComment,
    ...(values['untrusted-comment'] !== undefined && { untrustedComment: values['untrusted-comment'] }),
  });
  if (!signed.ok) throw new CliError(signed.error, EXIT_USAGE);

  // What we publish must pass the extension's own verifier, checked before it is written.
  const signature = parseSignature(signed.value);
  const key = parsePublicKey(publicKeyFileOf(secretKey));
  const check = signature.ok && key.ok ? await verifySignature(message, signature.value, key.value) : null;
  if (check === null || !check.ok) throw new CliError(`${path}: the new signature did not verify; nothing was written`);

  const output = values.output ?? `${path}.minisig`;
  try {
    io.writeFile(output, signed.value);
  } catch (cause) {
    throw new CliError(`${output}: cannot write: ${cause instanceof Error ? cause.message : String(cause)}`);
  }
  io.out(`Signed ${path} with key ${secretKey.keyIdHex} (${algorithm === 'prehashed' ? 'prehashed ED' : 'legacy Ed'}) → ${output}`);
  io.out(`Trusted comment: ${trustedComment}`);
  return EXIT_OK;
}

async function verifyCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const { positionals, values } = parse(argv, { 'public-key': { type: 'string' }, signature: { type: 'string' } }, { min: 1, max: 1, name: 'one file to verify' });
  const path = positionals[0]!;
  const keyArgument = requiredOption(values['public-key'], 'public-key');
  const keySource = io.isFile(keyArgument) ? keyArgument : '--public-key';
  const key = parsePublicKey(keySource === '--public-key' ? keyArgument : readText(io, keyArgument));
  if (!key.ok) throw new CliError(`${keySource}: ${key.error.where ? `${key.error.where}: ` : ''}${key.error.message}`, keySource === '--public-key' ? EXIT_USAGE : EXIT_PROBLEM);

  const signaturePath = values.signature ?? `${path}.minisig`;
  if (values.signature === undefined && !io.isFile(signaturePath)) throw new CliError(`${path}: unsigned: ${signaturePath} does not exist`);
  const signature = parseSignature(readText(io, signaturePath));
  if (!signature.ok) throw new CliError(`${signaturePath}: ${signature.error.where ? `${signature.error.where}: ` : ''}${signature.error.message}`);
  const verified = await verifySignature(readBytes(io, path), signature.value, key.value);
  if (!verified.ok) throw new CliError(`${path}: ${verified.error.code.replaceAll('-', ' ')}: ${verified.error.message}`);
  io.out(`Signature and comment signature verified (${verified.value.algorithm === 'prehashed' ? 'prehashed ED' : 'legacy Ed'}, key ${verified.value.keyIdHex})`);
  io.out(`Trusted comment: ${verified.value.trustedComment}`);
  return EXIT_OK;
}

async function diffCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const { positionals } = parse(argv, {}, { min: 2, max: 2, name: 'two list files: <old> <new>' });
  const [beforePath, afterPath] = positionals as [string, string];
  const before = readList(io, beforePath);
  const after = readList(io, afterPath);
  const { header, changes } = diffLists(before, after);
  io.out(`${beforePath}: ${JSON.stringify(before.name)} version ${before.version}, ${before.entries.length} entries`);
  io.out(`${afterPath}: ${JSON.stringify(after.name)} version ${after.version}, ${after.entries.length} entries`);
  for (const line of header) io.out(line);
  for (const change of changes) io.out(describeChange(change));
  io.out(summarize(changes));
  return EXIT_OK;
}

const COMMANDS: Record<string, (argv: readonly string[], io: CliIo) => Promise<number>> = {
  lint: lintCommand,
  sign: signCommand,
  verify: verifyCommand,
  diff: diffCommand,
};

export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === 'help' || command === '--help' || command === '-h') {
    (command === undefined ? io.err : io.out)(USAGE);
    return command === undefined ? EXIT_USAGE : EXIT_OK;
  }
  const run = COMMANDS[command];
  if (run === undefined) {
    io.err(`unknown command "${command}"\n\n${USAGE}`);
    return EXIT_USAGE;
  }
  try {
    return await run(rest, io);
  } catch (cause) {
    if (!(cause instanceof CliError)) throw cause;
    io.err(`error: ${cause.message}`);
    return cause.exitCode;
  }
}
