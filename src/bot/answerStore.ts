import type { Answer } from '../domain/types.ts';
import { getJson, type Kv, setJson } from '../memory/kv.ts';
import type { AnswerMessageOptions } from './blocks/answer.ts';

// A posted answer, kept a day for its buttons: "Download CSV" sends these rows instead of running
// the query again, "Add to my usual" pins this plan, "Show SQL" redraws the message from it.

export const STORED_ANSWER_TTL_SECONDS = 86_400;

/** The answer as posted, and how it was shown (timezone, locale, the chart's note). */
export type StoredAnswer = Omit<Answer, 'timings' | 'error' | 'id'> & {
  id: string;
  shown: Pick<AnswerMessageOptions, 'locale' | 'timeZone' | 'chartNote' | 'verifiable'>;
};

const answerKey = (id: string) => `answer:${id}`;

export async function rememberAnswer(
  kv: Kv,
  answer: Answer & { id: string },
  shown: StoredAnswer['shown'],
): Promise<void> {
  const { timings: _timings, error: _error, ...kept } = answer;
  await setJson(
    kv,
    answerKey(answer.id),
    { ...kept, shown } satisfies StoredAnswer,
    STORED_ANSWER_TTL_SECONDS,
  );
}

export function recallAnswer(kv: Kv, id: string): Promise<StoredAnswer | null> {
  return getJson<StoredAnswer>(kv, answerKey(id));
}

/** The stored answer as the pipeline gave it, for redrawing its message. */
export function answerOf(stored: StoredAnswer): Answer {
  const { shown: _shown, ...answer } = stored;
  return { ...answer, timings: {}, error: null };
}
