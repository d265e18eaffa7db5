// The tests' fake Slack refuses what Slack refuses, through Slack's own client: a test of a
// message Slack would not take can then fail. Quarry's code is not involved here.
import { webApi } from '@slack/bolt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeSlack, startFakeSlack } from '../helpers/fakeSlack.ts';

let fake: FakeSlack;
let client: webApi.WebClient;

beforeAll(async () => {
  fake = await startFakeSlack();
  // Refusals are the point here; the client's own report of them would only be noise.
  const quiet = {
    debug() {},
    info() {},
    warn() {},
    error() {},
    setLevel() {},
    getLevel: () => webApi.LogLevel.ERROR,
    setName() {},
  };
  client = new webApi.WebClient('xoxb-test', {
    slackApiUrl: fake.apiUrl,
    retryConfig: { retries: 0 },
    logger: quiet,
  });
});

afterAll(async () => {
  await fake?.close();
});

const section = (text: string) => ({ type: 'section' as const, text: { type: 'mrkdwn' as const, text } });

/** Slack's error code of a refused call. */
async function refusal(call: Promise<unknown>): Promise<string> {
  const e = await call.then(
    () => null,
    (err: unknown) => err as { data?: { error?: string } },
  );
  expect(e, 'Slack took the call').not.toBeNull();
  return String(e?.data?.error);
}

describe('the fake Slack', () => {
  it('refuses a chat.update whose text is over 4,000 characters (msg_too_long) and takes 4,000', async () => {
    const posted = await client.chat.postMessage({ channel: 'C1', text: 'Working…' });
    const ts = String(posted.ts);
    expect(await refusal(client.chat.update({ channel: 'C1', ts, text: 'x'.repeat(4001) }))).toBe(
      'msg_too_long',
    );
    await client.chat.update({ channel: 'C1', ts, text: 'x'.repeat(4000) });
    // A test waiting for the update sees only the one Slack took.
    expect(fake.callsOf('chat.update').map((c) => String(c.body.text).length)).toEqual([4000]);
    expect(fake.refusals('chat.update')).toHaveLength(1);
  });

  it('refuses more than 50 blocks and a section over 3,000 characters (invalid_blocks)', async () => {
    const many = Array.from({ length: 51 }, () => section('a line'));
    expect(await refusal(client.chat.postMessage({ channel: 'C1', text: 'x', blocks: many }))).toBe(
      'invalid_blocks',
    );
    const long = [section('y'.repeat(3001))];
    expect(await refusal(client.chat.postMessage({ channel: 'C1', text: 'x', blocks: long }))).toBe(
      'invalid_blocks',
    );
    const [refused] = fake.refusals('chat.postMessage').slice(-1);
    expect(refused!.response.response_metadata).toEqual({
      messages: ['[ERROR] must be less than 3001 characters [json-pointer:/blocks/0/text/text]'],
    });
    await client.chat.postMessage({ channel: 'C1', text: 'x', blocks: [section('y'.repeat(3000))] });
  });

  it('refuses a button text over 75 and a header over 150 characters', async () => {
    const button = {
      type: 'actions' as const,
      elements: [
        {
          type: 'button' as const,
          text: { type: 'plain_text' as const, text: 'b'.repeat(76) },
          action_id: 'a',
        },
      ],
    };
    expect(await refusal(client.chat.postMessage({ channel: 'C1', text: 'x', blocks: [button] }))).toBe(
      'invalid_blocks',
    );
    const header = { type: 'header' as const, text: { type: 'plain_text' as const, text: 'h'.repeat(151) } };
    expect(await refusal(client.chat.postMessage({ channel: 'C1', text: 'x', blocks: [header] }))).toBe(
      'invalid_blocks',
    );
  });

  it('refuses an image description over 1,000 characters at files.getUploadURLExternal', async () => {
    const upload = (altText: string) =>
      client.files.uploadV2({
        channel_id: 'C1',
        file: Buffer.from('png bytes'),
        filename: 'chart.png',
        title: 'Chart',
        alt_text: altText,
      });
    expect(await refusal(upload('d'.repeat(1001)))).toBe('alt_txt_too_large');
    expect(fake.callsOf('files.completeUploadExternal')).toHaveLength(0);
    await upload('d'.repeat(1000));
    expect(fake.callsOf('files.completeUploadExternal')).toHaveLength(1);
  });
});
