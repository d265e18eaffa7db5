// Preferences learned from what a person asks, on real PostgreSQL memory and Redis: the number
// of rows they keep asking for becomes their default, and the chart kind they keep asking for is
// drawn when it fits, for them and nobody else.
import { describe, expect, it } from 'vitest';
import { getProfile } from '../../src/memory/profiles.ts';
import { renderAnswerChart } from '../../src/render/index.ts';
import { useDemoWorld } from '../helpers/demoWorld.ts';

const TEAM = 'T_PREFS';
const world = useDemoWorld(TEAM);

const ask = async (userId: string, question: string) => {
  const a = await world.ask(question, { userId });
  expect(a.error, question).toBeNull();
  return a;
};

describe('preferences learned from questions', () => {
  it('makes a number of rows asked for three times the default for lists', async () => {
    const before = await ask('U_TWENTY', 'Revenue by product last month');
    expect(before.sql).toMatch(/LIMIT 100$/);
    await ask('U_TWENTY', 'Top 20 products by revenue last month');
    await ask('U_TWENTY', 'top 20 customers by number of orders this year');
    expect(
      (await getProfile({ db: world.demo.memory, kv: world.redis.kv }, TEAM, 'U_TWENTY')).preferences
        .default_limit,
    ).toBe(100);
    await ask('U_TWENTY', 'Which 20 cities have the most customers?');
    const profile = await getProfile({ db: world.demo.memory, kv: world.redis.kv }, TEAM, 'U_TWENTY');
    expect(profile.preferences.default_limit).toBe(20);
    expect((await ask('U_TWENTY', 'Revenue by product last month')).sql).toMatch(/LIMIT 20$/);
    // Someone else's lists keep the default.
    expect((await ask('U_OTHER', 'Revenue by product last month')).sql).toMatch(/LIMIT 100$/);
  });

  it('draws the chart kind asked for twice when a later answer fits it', async () => {
    const trend = 'Monthly sales over the last 6 months';
    const auto = await renderAnswerChart(await ask('U_BARS', trend));
    expect(auto?.spec.kind).toBe('line');
    await ask('U_BARS', 'Orders per week over the last 8 weeks as a bar chart');
    await ask('U_BARS', 'Monthly revenue this year as a bar chart');
    const later = await ask('U_BARS', trend);
    expect(later.preferredCharts).toEqual(['bar']);
    expect((await renderAnswerChart(later))?.spec.kind).toBe('bar');
    // A single number still reads best as a big number: the preference applies only where it fits.
    expect((await renderAnswerChart(await ask('U_BARS', 'Total sales last month')))?.spec.kind).toBe(
      'big_number',
    );
  });
});
