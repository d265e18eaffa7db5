import { describe, expect, it } from 'vitest';
import { col, fk, schemaOf, table } from '../fixtures/schemaBuilders.ts';
import { offlinePlanner } from '../helpers/offlinePlanner.ts';

// A schema whose entity keeps its money on its own rows (an employee's salary) and refers to
// itself (a manager): listed by that money, filtered by it, and grouped by its own key.
const schema = schemaOf(
  [
    table(
      'departments',
      [col('id', 'integer', 'number'), col('name', 'text', 'text', { sampleValues: ['Sales', 'Legal'] })],
      6,
    ),
    table(
      'employees',
      [
        col('id', 'integer', 'number'),
        col('first_name', 'text', 'text'),
        col('last_name', 'text', 'text'),
        col('department_id', 'integer', 'number'),
        col('manager_id', 'integer', 'number', { nullable: true }),
        col('salary', 'numeric(10,2)', 'number'),
      ],
      300,
    ),
    table(
      'timesheets',
      [
        col('id', 'integer', 'number'),
        col('employee_id', 'integer', 'number'),
        col('hours', 'numeric(4,1)', 'number'),
      ],
      20000,
    ),
  ],
  [
    fk('employees', 'department_id', 'departments'),
    fk('employees', 'manager_id', 'employees'),
    fk('timesheets', 'employee_id', 'employees'),
  ],
  'hr',
);

const { sql } = offlinePlanner(schema);

describe('an entity with money of its own', () => {
  it('lists the highest paid by their salary, not their salaries added up per name', () => {
    expect(sql('the 3 highest paid employees')).toMatch(
      /^SELECT concat_ws\(' ', employees\.first_name, employees\.last_name\) AS name, employees\.salary\nFROM employees\nORDER BY employees\.salary DESC NULLS LAST\nLIMIT 3$/,
    );
  });

  it('filters the entities by the money a verb compares, with nothing added up', () => {
    expect(sql('employees earning more than 100000')).toMatch(
      /^SELECT employees\.id[\s\S]*WHERE employees\.salary > 100000\nLIMIT 100$/,
    );
  });

  it('groups people by their key as well when the table refers to itself', () => {
    expect(sql('total hours by employee')).toMatch(/GROUP BY concat_ws\([^)]*\), employees\.id/);
    expect(sql('average salary by employee')).toMatch(/GROUP BY concat_ws\([^)]*\), employees\.id/);
  });

  it('adds up an amount counted in words: "how many hours"', () => {
    expect(sql('how many hours were logged')).toBe(
      'SELECT SUM(timesheets.hours) AS total_hours\nFROM timesheets',
    );
  });

  it('reads a money word that is a value followed by its table as the value', () => {
    expect(sql('employees in the sales department')).toContain("WHERE departments.name = 'Sales'");
  });
});
