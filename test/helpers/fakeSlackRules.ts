// What the fake Slack refuses, as Slack does: its documented limits, written out here on
// their own (not taken from Quarry's slack/limits.ts), so a message Quarry gets wrong fails in
// a test the way it would fail in Slack.

/** Slack's error for a call it refuses, with the pointer Slack gives for blocks. */
export interface Refusal {
  error: string;
  messages?: string[];
}

const MAX_BLOCKS = 50;
/** chat.update refuses longer top-level text (msg_too_long). */
export const MAX_UPDATE_TEXT = 4000;
/** chat.postMessage cuts longer text instead of refusing it. */
export const MAX_POST_TEXT = 40_000;
export const MAX_FILE_ALT_TXT = 1000;

const LIMITS = {
  sectionText: 3000,
  sectionFields: 10,
  fieldText: 2000,
  contextElements: 10,
  contextText: 3000,
  headerText: 150,
  actionsElements: 25,
  buttonText: 75,
  buttonValue: 2000,
  id: 255,
  imageAltText: 2000,
};

type Json = Record<string, unknown>;

function textOf(t: unknown): string | null {
  if (t && typeof t === 'object' && typeof (t as Json).text === 'string') return (t as Json).text as string;
  return null;
}

/** Slack's "[ERROR] …" lines for what is wrong with a list of blocks; empty when it is fine. */
function blockProblems(blocks: unknown): string[] {
  if (!Array.isArray(blocks)) return ['[ERROR] must be an array [json-pointer:/blocks]'];
  const problems: string[] = [];
  const tooLong = (pointer: string, value: string | null, max: number) => {
    if (value !== null && value.length > max)
      problems.push(`[ERROR] must be less than ${max + 1} characters [json-pointer:${pointer}]`);
  };
  const tooMany = (pointer: string, list: unknown, max: number) => {
    if (Array.isArray(list) && list.length > max)
      problems.push(`[ERROR] must be no more than ${max} items [json-pointer:${pointer}]`);
  };
  tooMany('/blocks', blocks, MAX_BLOCKS);
  blocks.forEach((raw, i) => {
    const b = raw as Json;
    const at = `/blocks/${i}`;
    if (typeof b.block_id === 'string') tooLong(`${at}/block_id`, b.block_id, LIMITS.id);
    switch (b.type) {
      case 'section':
        tooLong(`${at}/text/text`, textOf(b.text), LIMITS.sectionText);
        tooMany(`${at}/fields`, b.fields, LIMITS.sectionFields);
        if (Array.isArray(b.fields))
          b.fields.forEach((f, j) => {
            tooLong(`${at}/fields/${j}/text`, textOf(f), LIMITS.fieldText);
          });
        if (textOf(b.text) === null && !Array.isArray(b.fields))
          problems.push(`[ERROR] missing required field: text [json-pointer:${at}]`);
        break;
      case 'context':
        tooMany(`${at}/elements`, b.elements, LIMITS.contextElements);
        if (Array.isArray(b.elements))
          b.elements.forEach((e, j) => {
            tooLong(`${at}/elements/${j}/text`, textOf(e), LIMITS.contextText);
          });
        break;
      case 'header':
        tooLong(`${at}/text/text`, textOf(b.text), LIMITS.headerText);
        break;
      case 'actions':
        tooMany(`${at}/elements`, b.elements, LIMITS.actionsElements);
        if (Array.isArray(b.elements))
          b.elements.forEach((raw, j) => {
            const e = raw as Json;
            if (e.type !== 'button') return;
            tooLong(`${at}/elements/${j}/text/text`, textOf(e.text), LIMITS.buttonText);
            if (typeof e.value === 'string')
              tooLong(`${at}/elements/${j}/value`, e.value, LIMITS.buttonValue);
            if (typeof e.action_id === 'string')
              tooLong(`${at}/elements/${j}/action_id`, e.action_id, LIMITS.id);
          });
        break;
      case 'image':
        tooLong(`${at}/alt_text`, typeof b.alt_text === 'string' ? b.alt_text : null, LIMITS.imageAltText);
        break;
    }
  });
  return problems;
}

/** Blocks as they arrive: JSON text in a form, an array in a JSON body, absent. */
function blocksIn(body: Json): { present: boolean; blocks?: unknown; unreadable?: boolean } {
  if (body.blocks === undefined) return { present: false };
  if (typeof body.blocks !== 'string') return { present: true, blocks: body.blocks };
  try {
    return { present: true, blocks: JSON.parse(body.blocks) };
  } catch {
    return { present: true, unreadable: true };
  }
}

/** Why Slack would refuse this call of `method`, or null when it would take it. */
export function refusalOf(method: string, body: Json): Refusal | null {
  if (method === 'files.getUploadURLExternal') {
    // Slack names the field alt_txt; @slack/web-api's uploadV2 sends alt_text.
    const alt = body.alt_txt ?? body.alt_text;
    if (typeof alt === 'string' && alt.length > MAX_FILE_ALT_TXT) return { error: 'alt_txt_too_large' };
    return null;
  }
  const messageMethods = ['chat.postMessage', 'chat.update', 'chat.postEphemeral', 'response_url'];
  if (!messageMethods.includes(method)) return null;
  if (method === 'chat.update' && typeof body.text === 'string' && body.text.length > MAX_UPDATE_TEXT)
    return { error: 'msg_too_long' };
  const given = blocksIn(body);
  if (given.unreadable) return { error: 'invalid_blocks_format' };
  if (given.present) {
    const problems = blockProblems(given.blocks);
    if (problems.length) return { error: 'invalid_blocks', messages: problems };
  }
  return null;
}
