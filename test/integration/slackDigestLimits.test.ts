// A digest whose panels are titled with whole long questions, posted through the fake Slack
// (which refuses what Slack refuses): the message and its image are both taken, each panel
// line whole in its own section.
import { webApi } from '@slack/bolt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { slackDigestPoster } from '../../src/usual/digestPoster.ts';
import { type FakeSlack, startFakeSlack } from '../helpers/fakeSlack.ts';

let fake: FakeSlack;
let client: webApi.WebClient;

beforeAll(async () => {
  fake = await startFakeSlack();
  client = new webApi.WebClient('xoxb-test', { slackApiUrl: fake.apiUrl, retryConfig: { retries: 0 } });
});

afterAll(async () => {
  await fake?.close();
});

const PADDING = Array.from({ length: 240 }, () => 'and the').join(' ');
const LINES = [
  '*Usual digest* for <@U_MIA> · Mon, Dec 7, 09:00 (daily at 09:00, Europe/Berlin)',
  `• Show me total sales for last month, ${PADDING}: $14,011.57 (+3.2%)`,
  `• Sales by product category last month, ${PADDING}: 8 categories; top: Home with $4,145.31 sales`,
];

describe('a digest with long panel titles', () => {
  it('is posted with every line whole, and its image described within 1,000 characters', async () => {
    const poster = slackDigestPoster(client);
    const text = LINES.join('\n');
    expect(text.length).toBeGreaterThan(4000);
    const posted = await poster.postMessage('C_SALES', text, {
      scheduleId: 7,
      slot: '2026-12-07T08:00:00.000Z',
    });
    const [call] = fake.callsOf('chat.postMessage');
    expect(posted.ts).toBe(call!.response.ts);
    const sections = (JSON.parse(String(call!.body.blocks)) as { text: { text: string } }[]).map(
      (b) => b.text.text,
    );
    expect(sections.join('\n')).toBe(text);
    expect(String(call!.body.text)).toMatch(/… \(shortened\)$/);

    await poster.uploadImage(posted.channel, Buffer.from('png bytes'), {
      title: 'Usual digest',
      filename: 'usual-digest.png',
      altText: LINES.slice(1).join('; '),
    });
    expect(fake.callsOf('files.completeUploadExternal')).toHaveLength(1);
    expect(fake.refusals()).toEqual([]);
  });
});
