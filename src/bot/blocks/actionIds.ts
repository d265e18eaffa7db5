// The action_id of each button on an answer; the button's value is the answer's id.

export const ACTION = {
  feedbackUp: 'feedback_up',
  feedbackDown: 'feedback_down',
  showSql: 'show_sql',
  hideSql: 'hide_sql',
  downloadCsv: 'download_csv',
  addToUsual: 'add_to_usual',
  verify: 'verify_answer',
} as const;

/** The buttons of a question asked back: `pick_reading_1`…; the value is the reading's question. */
export const READING_ACTION = /^pick_reading_\d$/;
export const readingActionId = (n: number) => `pick_reading_${n}`;

/** Matches both feedback buttons; the rating is the part after `feedback_`. */
export const FEEDBACK_ACTION = /^feedback_(up|down)$/;

/** Matches both SQL buttons; the message is redrawn with the SQL shown or hidden. */
export const SQL_ACTION = /^(show|hide)_sql$/;
