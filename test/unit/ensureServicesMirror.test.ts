// The services script takes the Debian mirror from the machine's own apt sources, and names
// none of its own: run with a folder of sources as `APT_ETC`, it prints what it would use.
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

const SCRIPT = new URL('../../scripts/ensure-services.sh', import.meta.url).pathname;

function printMirror(aptEtc: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      'bash',
      [SCRIPT, '--print-mirror'],
      { env: { PATH: process.env.PATH ?? '', APT_ETC: aptEtc } },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

describe('scripts/ensure-services.sh --print-mirror', () => {
  let aptEtc: string;

  beforeEach(async () => {
    aptEtc = await mkdtemp(join(tmpdir(), 'quarry-apt-'));
    await mkdir(join(aptEtc, 'sources.list.d'));
  });

  afterEach(async () => {
    await rm(aptEtc, { recursive: true, force: true });
  });

  it('reads a deb822 .sources file, skipping comments and the security archive', async () => {
    await writeFile(
      join(aptEtc, 'sources.list.d', 'debian.sources'),
      [
        'Types: deb',
        'URIs: http://security.mirror.example.org/debian-security',
        'Suites: bookworm-security',
        '',
        'Types: deb',
        '# http://commented.example.org/debian',
        'URIs: http://mirror.example.org/debian/',
        'Suites: bookworm',
      ].join('\n'),
    );
    const run = await printMirror(aptEtc);
    expect(run).toMatchObject({ code: 0, stdout: 'http://mirror.example.org/debian\n' });
  });

  it('reads a one-line sources.list with options in brackets', async () => {
    await writeFile(
      join(aptEtc, 'sources.list'),
      '# deb http://old.example.org/debian bookworm main\ndeb [arch=amd64 signed-by=/k.gpg] https://local.example.net/debian bookworm main\n',
    );
    const run = await printMirror(aptEtc);
    expect(run).toMatchObject({ code: 0, stdout: 'https://local.example.net/debian\n' });
  });

  it('stops with one sentence when the sources name no Debian mirror', async () => {
    await writeFile(join(aptEtc, 'sources.list'), 'deb http://packages.example.com/ubuntu noble main\n');
    const run = await printMirror(aptEtc);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(
      /^\[services\] No Debian mirror is named in this machine's apt sources .*\.\n$/,
    );
  });
});
