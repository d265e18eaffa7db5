import type { ArcElement, BarElement, Chart, ChartConfiguration, ChartType, Plugin } from 'chart.js';
import type { BarSpec, DoughnutSpec, LineSpec, ScatterSpec, ValueFormat } from './chartSpec.ts';
import { formatNumber } from './numbers.ts';
import { FONT_FAMILY, font, type Theme, withAlpha } from './theme.ts';

// A ChartSpec turned into a Chart.js configuration: the same theme, fonts, number formats and
// layout for every kind. Only this module knows Chart.js's option names.

export type PlottedSpec = LineSpec | BarSpec | DoughnutSpec | ScatterSpec;

const TEXT = { title: 18, body: 13, small: 12 };
const DENSE_POINTS = 40;

function tickFormatter(format: ValueFormat) {
  return (value: number | string, _index?: number, ticks?: { value: number }[]) =>
    formatNumber(Number(value), format.style, {
      locale: format.locale,
      currency: format.currency,
      compact: true,
      magnitude: ticks ? Math.max(...ticks.map((t) => Math.abs(t.value))) : undefined,
    });
}

/** Chart.js clears to transparent; Slack shows transparency as its own background. */
function backgroundPlugin(theme: Theme): Plugin {
  return {
    id: 'quarryBackground',
    beforeDraw(chart) {
      const { ctx, width, height } = chart;
      ctx.save();
      ctx.fillStyle = theme.card;
      ctx.fillRect(0, 0, width, height);
      ctx.restore();
    },
  };
}

/** The value at the end of each bar, so a reader need not trace it to the axis. */
function barValuesPlugin(spec: BarSpec, theme: Theme): Plugin<'bar'> {
  const label = tickFormatter(spec.format);
  return {
    id: 'quarryBarValues',
    afterDatasetsDraw(chart: Chart<'bar'>) {
      const { ctx } = chart;
      const bars = chart.getDatasetMeta(0).data as BarElement[];
      ctx.save();
      ctx.font = font(TEXT.small, 600);
      ctx.fillStyle = theme.text;
      bars.forEach((bar, i) => {
        const value = spec.series[0]?.values[i];
        if (value === null || value === undefined) return;
        const text = label(value);
        const { x, y, base } = bar.getProps(['x', 'y', 'base'], true) as {
          x: number;
          y: number;
          base: number;
        };
        // Past the end of a positive bar; on the other side of zero for a negative one, where
        // its row is empty (past its end it would run into the category name).
        if (spec.orientation === 'horizontal') {
          ctx.textAlign = 'left';
          ctx.textBaseline = 'middle';
          ctx.fillText(text, Math.max(x, base) + 6, y);
        } else {
          ctx.textAlign = 'center';
          ctx.textBaseline = 'bottom';
          ctx.fillText(text, x, Math.min(y, base) - 4);
        }
      });
      ctx.restore();
    },
  };
}

/** The total in the doughnut's hole. */
function doughnutTotalPlugin(spec: DoughnutSpec, theme: Theme): Plugin<'doughnut'> {
  const total = spec.values.reduce((a, b) => a + b, 0);
  const text = formatNumber(total, spec.format.style, {
    locale: spec.format.locale,
    currency: spec.format.currency,
    compact: true,
  });
  return {
    id: 'quarryDoughnutTotal',
    afterDatasetsDraw(chart: Chart<'doughnut'>) {
      const arc = chart.getDatasetMeta(0).data[0] as ArcElement | undefined;
      if (!arc) return;
      const { x, y, innerRadius } = arc.getProps(['x', 'y', 'innerRadius'], true) as {
        x: number;
        y: number;
        innerRadius: number;
      };
      const { ctx } = chart;
      ctx.save();
      ctx.textAlign = 'center';
      ctx.fillStyle = theme.text;
      ctx.textBaseline = 'alphabetic';
      ctx.font = font(Math.max(14, Math.min(28, innerRadius / 3)), 700);
      ctx.fillText(text, x, y + 4);
      ctx.fillStyle = theme.muted;
      ctx.textBaseline = 'top';
      ctx.font = font(TEXT.small);
      ctx.fillText(`Total ${spec.valueLabel.toLowerCase()}`, x, y + 10);
      ctx.restore();
    },
  };
}

function commonOptions(
  title: string,
  note: string | undefined,
  theme: Theme,
  scale: number,
  legend: boolean,
) {
  return {
    responsive: false,
    animation: false as const,
    devicePixelRatio: scale,
    color: theme.text,
    font: { family: FONT_FAMILY, size: TEXT.body },
    layout: { padding: { top: 8, right: 24, bottom: 12, left: 20 } },
    plugins: {
      title: {
        display: title !== '',
        text: title,
        align: 'start' as const,
        color: theme.text,
        font: { family: FONT_FAMILY, size: TEXT.title, weight: 600 },
        padding: { top: 8, bottom: legend ? 8 : 16 },
      },
      subtitle: {
        display: Boolean(note),
        text: note ?? '',
        position: 'bottom' as const,
        align: 'start' as const,
        color: theme.muted,
        font: { family: FONT_FAMILY, size: TEXT.small },
        padding: { top: 10 },
      },
      legend: {
        display: legend,
        position: 'top' as const,
        align: 'start' as const,
        labels: {
          color: theme.text,
          boxWidth: 12,
          boxHeight: 12,
          padding: 14,
          font: { family: FONT_FAMILY, size: TEXT.body },
        },
      },
    },
  };
}

function axis(theme: Theme, title: string, extra: Record<string, unknown> = {}) {
  return {
    grid: { color: theme.grid },
    border: { color: theme.grid },
    ticks: { color: theme.muted, font: { family: FONT_FAMILY, size: TEXT.small } },
    title: {
      display: title !== '',
      text: title,
      color: theme.muted,
      font: { family: FONT_FAMILY, size: TEXT.body, weight: 600 },
    },
    ...extra,
  };
}

function valueAxis(theme: Theme, title: string, format: ValueFormat, stacked = false) {
  const base = axis(theme, title);
  return { ...base, stacked, beginAtZero: true, ticks: { ...base.ticks, callback: tickFormatter(format) } };
}

function timeAxis(theme: Theme, title: string, stacked = false) {
  const base = axis(theme, title);
  return {
    ...base,
    stacked,
    grid: { display: false },
    ticks: { ...base.ticks, autoSkip: true, autoSkipPadding: 16, maxRotation: 0 },
  };
}

function lineConfig(spec: LineSpec, theme: Theme, scale: number): ChartConfiguration<'line'> {
  const area = spec.kind === 'area';
  const dense = spec.labels.length > DENSE_POINTS;
  return {
    type: 'line',
    data: {
      labels: spec.labels,
      datasets: spec.series.map((s, i) => {
        const colour = theme.palette[i % theme.palette.length]!;
        return {
          label: s.label,
          data: s.values,
          borderColor: colour,
          backgroundColor: area ? withAlpha(colour, spec.stacked ? 0.75 : 0.3) : colour,
          borderWidth: dense ? 2 : 2.5,
          pointRadius: dense ? 0 : 3,
          fill: area ? (spec.stacked && i > 0 ? '-1' : 'origin') : false,
        };
      }),
    },
    options: {
      ...commonOptions(spec.title, spec.note, theme, scale, spec.series.length > 1),
      scales: {
        x: timeAxis(theme, spec.xLabel),
        y: valueAxis(theme, spec.yLabel, spec.format, spec.stacked),
      },
    },
  };
}

function barConfig(spec: BarSpec, theme: Theme, scale: number): ChartConfiguration<'bar'> {
  const horizontal = spec.orientation === 'horizontal';
  const stacked = spec.stacking === 'stacked';
  const categoryAxis = horizontal
    ? axis(theme, spec.categoryLabel, {
        stacked,
        grid: { display: false },
        ticks: { color: theme.text, autoSkip: false, font: { family: FONT_FAMILY, size: TEXT.small } },
      })
    : timeAxis(theme, spec.categoryLabel, stacked);
  const values = valueAxis(theme, spec.valueLabel, spec.format, stacked);
  return {
    type: 'bar',
    data: {
      labels: spec.labels,
      datasets: spec.series.map((s, i) => ({
        label: s.label,
        data: s.values,
        backgroundColor: theme.palette[i % theme.palette.length]!,
        borderRadius: 3,
        maxBarThickness: 44,
      })),
    },
    options: {
      ...commonOptions(spec.title, spec.note, theme, scale, spec.series.length > 1),
      indexAxis: horizontal ? 'y' : 'x',
      // Room for the value printed past the longest bar.
      layout: { padding: { top: 8, right: horizontal ? 64 : 24, bottom: 12, left: 20 } },
      scales: horizontal ? { x: values, y: categoryAxis } : { x: categoryAxis, y: values },
    },
    plugins: spec.stacking === 'none' && spec.labels.length <= 30 ? [barValuesPlugin(spec, theme)] : [],
  };
}

function doughnutConfig(spec: DoughnutSpec, theme: Theme, scale: number): ChartConfiguration<'doughnut'> {
  const total = spec.values.reduce((a, b) => a + b, 0);
  const percent = (v: number) =>
    formatNumber((v / total) * 100, 'percent', {
      locale: spec.format.locale,
      currency: spec.format.currency,
    });
  const options = commonOptions(spec.title, spec.note, theme, scale, true);
  return {
    type: 'doughnut',
    data: {
      labels: spec.labels.map((label, i) => `${label}  ${percent(spec.values[i]!)}`),
      datasets: [
        {
          data: spec.values,
          backgroundColor: spec.values.map((_, i) => theme.palette[i % theme.palette.length]!),
          borderColor: theme.card,
          borderWidth: 2,
        },
      ],
    },
    options: {
      ...options,
      cutout: '58%',
      plugins: {
        ...options.plugins,
        legend: { ...options.plugins.legend, position: 'right', align: 'center' },
      },
    },
    plugins: [doughnutTotalPlugin(spec, theme)],
  };
}

function scatterConfig(spec: ScatterSpec, theme: Theme, scale: number): ChartConfiguration<'scatter'> {
  const colour = theme.palette[0]!;
  const x = valueAxis(theme, spec.xLabel, spec.xFormat);
  return {
    type: 'scatter',
    data: {
      datasets: [
        {
          label: spec.yLabel,
          data: spec.points,
          backgroundColor: withAlpha(colour, spec.points.length > 300 ? 0.45 : 0.75),
          borderColor: colour,
          borderWidth: 0,
          pointRadius: spec.points.length > 300 ? 2.5 : 4,
        },
      ],
    },
    options: {
      ...commonOptions(spec.title, spec.note, theme, scale, false),
      scales: {
        x: { ...x, beginAtZero: false },
        y: { ...valueAxis(theme, spec.yLabel, spec.format), beginAtZero: false },
      },
    },
  };
}

export function chartConfig(spec: PlottedSpec, theme: Theme, scale: number): ChartConfiguration<ChartType> {
  const config = (() => {
    switch (spec.kind) {
      case 'line':
      case 'area':
        return lineConfig(spec, theme, scale);
      case 'bar':
        return barConfig(spec, theme, scale);
      case 'doughnut':
        return doughnutConfig(spec, theme, scale);
      case 'scatter':
        return scatterConfig(spec, theme, scale);
    }
  })();
  return {
    ...config,
    plugins: [backgroundPlugin(theme), ...(config.plugins ?? [])],
  } as ChartConfiguration<ChartType>;
}
