// The calendar's names in English, lower case, in the calendar's order: read in questions
// ("in the first week of march", "on mondays") and written by the compiler for a day or month
// of a time column.

export const MONTH_NAMES = [
  'january',
  'february',
  'march',
  'april',
  'may',
  'june',
  'july',
  'august',
  'september',
  'october',
  'november',
  'december',
];
export const WEEKDAY_NAMES = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'];
