import { useEffect, useRef } from 'preact/hooks';
import { LineChart, ScatterChart } from 'echarts/charts';
import { AriaComponent, GridComponent, LegendComponent, MarkAreaComponent, TitleComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { SVGRenderer } from 'echarts/renderers';
import { bytes, cores } from '../format';
import type { Timeline } from '../timeline';

echarts.use([LineChart, ScatterChart, AriaComponent, GridComponent, LegendComponent, MarkAreaComponent, TitleComponent, TooltipComponent, SVGRenderer]);

const WOULD_HAVE_APPLIED = 'Would have applied (paused)';

const format = (unit: Timeline['unit']) => (v: number | null | undefined) =>
  v === null || v === undefined ? '–' : unit === 'cores' ? cores(v) : unit === 'bytes' ? bytes(v) : `${Math.round(v * 10) / 10}`;

/** What the chart shows, in one sentence for screen readers. */
export function describe(t: Timeline): string {
  const held = t.wouldHaveApplied.length;
  return (
    `${t.title}: ${t.usagePeak.length} usage blocks, ${t.suggested.length > 0 ? t.suggested.length - 1 : 0} suggestions` +
    (held > 0 ? `, ${held} made while paused that would have applied` : '') +
    (t.spec !== null ? `; ${t.specLabel.toLowerCase()} ${format(t.unit)(t.spec)}.` : '.')
  );
}

/** One timeline drawn with Apache ECharts (SVG renderer, so it stays crisp and reads in the DOM). */
export function TimelineChart({ timeline, testId }: { timeline: Timeline; testId: string }) {
  const ref = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (!ref.current) return undefined;
    const chart = echarts.init(ref.current, null, { renderer: 'svg' });
    const resize = () => chart.resize();
    window.addEventListener('resize', resize);
    return () => {
      window.removeEventListener('resize', resize);
      chart.dispose();
    };
  }, []);

  useEffect(() => {
    if (!ref.current) return;
    const chart = echarts.getInstanceByDom(ref.current);
    if (!chart) return;
    const t = timeline;
    const fmt = format(t.unit);
    chart.setOption(
      {
        animation: false,
        aria: { enabled: true, label: { description: describe(t) } },
        color: ['#1d4ed8', '#60a5fa', '#047857', '#7c3aed', '#4b5563', '#b45309'],
        title: { text: t.title, left: 0, top: 0, textStyle: { fontSize: 14, fontWeight: 600, color: '#111827' } },
        tooltip: { trigger: 'axis', valueFormatter: (v: unknown) => fmt(typeof v === 'number' ? v : null) },
        legend: { top: 24, left: 0, textStyle: { color: '#1f2937' } },
        grid: { left: 70, right: 20, top: 64, bottom: 32 },
        xAxis: { type: 'time', min: t.from, max: t.to, axisLabel: { color: '#374151' } },
        yAxis: { type: 'value', min: 0, axisLabel: { color: '#374151', formatter: (v: number) => fmt(v) } },
        series: [
          { name: 'Usage (peak)', type: 'line', showSymbol: false, data: t.usagePeak },
          { name: 'Usage (mean)', type: 'line', showSymbol: false, lineStyle: { width: 1, type: 'dotted' }, data: t.usageMean },
          { name: 'Suggested', type: 'line', step: 'end', showSymbol: false, data: t.suggested },
          { name: 'Applied requests', type: 'line', step: 'end', showSymbol: false, lineStyle: { width: 3 }, data: t.applied },
          {
            name: t.specLabel,
            type: 'line',
            showSymbol: false,
            lineStyle: { type: 'dashed' },
            data: t.spec === null ? [] : [[t.from, t.spec], [t.to, t.spec]],
          },
          {
            name: WOULD_HAVE_APPLIED,
            type: 'scatter',
            symbol: 'triangle',
            symbolSize: 11,
            data: t.wouldHaveApplied,
            markArea: {
              silent: true,
              itemStyle: { color: 'rgba(217, 119, 6, 0.13)' },
              label: { show: true, position: 'insideTop', color: '#92400e', formatter: 'paused' },
              data: t.pausedSpans.map(([a, b]) => [{ xAxis: a }, { xAxis: b }]),
            },
          },
        ],
      },
      { notMerge: true },
    );
  }, [timeline]);

  return (
    <div
      ref={ref}
      class="chart"
      data-testid={testId}
      data-paused-points={timeline.wouldHaveApplied.length}
      data-usage-points={timeline.usagePeak.length}
      role="img"
    />
  );
}
