import { NotUnderstood } from '../errors.ts';
import type { Session, SessionTurn } from '../memory/sessions.ts';
import type { Planned } from './plan.ts';

// A thread goes on after a question asked back. The next message may pick one of the readings
// offered ("2", or the reading's words), or answer what was asked ("by revenue" after "top
// customers by what?"), which is then read together with the question it answers.

/** "2", "#2", "option 2", "2." */
const PICK = /^\s*(?:#|no\.?\s*|number\s+|option\s+)?([1-9])\s*[.)]?\s*$/i;
/** Longer replies are questions of their own. */
const MAX_REPLY_WORDS = 6;

/** The thread's last turn, when it was a question asked back. */
export function askedBackTurn(session: Session | null | undefined): SessionTurn | null {
  const last = session?.conversation_history.at(-1);
  return last && !last.success && last.errorKind === 'not_understood' ? last : null;
}

const normal = (s: string) =>
  s
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();

/** The question of the reading a reply picks, by its number or its words; null otherwise.
 *  A number past the readings offered is asked back again, never read as a number. */
export function pickedReading(reply: string, turn: SessionTurn): string | null {
  const readings = turn.readings ?? [];
  const n = PICK.exec(reply)?.[1];
  if (n) {
    const picked = readings[Number(n) - 1];
    if (picked) return picked.question;
    throw new NotUnderstood(
      readings.length
        ? `I offered ${readings.length === 1 ? 'one reading' : `${readings.length} readings`}; reply with ${readings.length === 1 ? '1' : `a number from 1 to ${readings.length}`}, or ask the question in other words.`
        : 'I have no readings to pick from in this thread any more; please ask the question in other words.',
    );
  }
  const said = normal(reply);
  return readings.find((r) => normal(r.question) === said || normal(r.label) === said)?.question ?? null;
}

/** A short reply read with the question it answers: "top customers" + "by revenue". */
export function withAskedQuestion(reply: string, turn: SessionTurn): string | null {
  const words = reply.trim().split(/\s+/);
  return words.length <= MAX_REPLY_WORDS ? `${turn.question.trim()} ${reply.trim()}` : null;
}

export interface Resumed {
  /** The question the reply stands for. */
  question: string;
  /** Its plan, when it was read with the earlier question. */
  planned?: Planned;
  note?: string;
  /** The pick could not be read: the earlier question is asked back again, with its readings. */
  askedAgain?: NotUnderstood;
}

/** Plans a question, on its own (without the thread's last plan or memory) when asked. */
export type PlanFor = (question: string, standalone?: boolean) => Planned;

/** A reply that starts like the rest of a sentence ("by revenue", "only in 2024") continues
 *  the question asked back, whatever it would mean alone. */
const FRAGMENT =
  /^\s*(?:by|per|for|in|with|without|only|from|on|at|over|under|of|and|or|but|not|excluding)\b/i;

const plansAlone = (question: string, plan: PlanFor) => {
  if (FRAGMENT.test(question)) return false;
  try {
    return plan(question, true).kind === 'plan';
  } catch (e) {
    if (e instanceof NotUnderstood) return false;
    throw e;
  }
};

/** What a reply to a question asked back asks: the reading it picks, else the earlier question
 *  with the reply when the two plan together; null when the reply is a question of its own
 *  (one that plans by itself, "how many customers"). */
export function resumeAskedBack(reply: string, turn: SessionTurn, plan: PlanFor): Resumed | null {
  let picked: string | null;
  try {
    picked = pickedReading(reply, turn);
  } catch (e) {
    if (!(e instanceof NotUnderstood)) throw e;
    // Still the same question back, so the next reply can pick again.
    e.readings = turn.readings ?? [];
    return { question: turn.question, askedAgain: e };
  }
  if (picked) return { question: picked };
  const joined = withAskedQuestion(reply, turn);
  if (!joined || plansAlone(reply, plan)) return null;
  try {
    const planned = plan(joined);
    if (planned.kind !== 'plan') return null;
    return { question: joined, planned, note: `Read with your earlier question "${turn.question}".` };
  } catch (e) {
    if (e instanceof NotUnderstood) return null;
    throw e;
  }
}
