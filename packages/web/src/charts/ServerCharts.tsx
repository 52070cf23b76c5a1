import { useEffect, useRef, useState } from "react";
import uPlot from "uplot";
import type { AlignedData, Options } from "uplot";
import "uplot/dist/uPlot.min.css";
import type { UsageSeries } from "../pages/server/series";
import "./charts.css";

/** Height of a chart's plot in CSS pixels; charts.css reserves the same so nothing jumps. */
export const PLOT_HEIGHT = 160;

interface Theme {
  text: string;
  muted: string;
  border: string;
  accent: string;
  font: string;
}

function readTheme(): Theme {
  const css = getComputedStyle(document.documentElement);
  const v = (name: string, fallback: string) => css.getPropertyValue(name).trim() || fallback;
  return {
    text: v("--text", "#17202a"),
    muted: v("--muted", "#5b6675"),
    border: v("--border", "#d8dde3"),
    accent: v("--brand-accent", "") || v("--accent", "#1f5fbf"),
    font: `12px ${css.fontFamily || "system-ui, sans-serif"}`,
  };
}

/** The page's colours, read again when the system switches between light and dark. */
function useTheme(): Theme {
  const [theme, setTheme] = useState(readTheme);
  useEffect(() => {
    const media = window.matchMedia("(prefers-color-scheme: dark)");
    const update = () => setTheme(readTheme());
    media.addEventListener("change", update);
    return () => media.removeEventListener("change", update);
  }, []);
  return theme;
}

/** The colour with an alpha, for the area under a line (hex colours only; others stay opaque-free). */
function translucent(color: string, alpha: number): string {
  const hex = /^#([0-9a-f]{6})$/i.exec(color)?.[1];
  if (!hex) return "transparent";
  const n = parseInt(hex, 16);
  return `rgba(${n >> 16}, ${(n >> 8) & 255}, ${n & 255}, ${alpha})`;
}

const timeFormat = new Intl.DateTimeFormat(undefined, {
  weekday: "short",
  hour: "numeric",
  minute: "2-digit",
});

interface ChartProps {
  title: string;
  unit: string;
  digits: number;
  kind: "line" | "bars";
  data: UsageSeries;
  values: (number | null)[];
  /** The smallest top of the y axis, so a flat, low line does not fill the chart. */
  minTop: number;
  theme: Theme;
}

function fmt(value: number | null | undefined, digits: number, unit: string): string {
  if (value === null || value === undefined) return "—";
  return `${value.toLocaleString(undefined, { maximumFractionDigits: digits })} ${unit}`;
}

function Chart(props: ChartProps) {
  const box = useRef<HTMLDivElement>(null);
  const readout = useRef<HTMLSpanElement>(null);
  const { data, values, theme, unit, digits } = props;
  const present = values.filter((v): v is number => v !== null);
  const latestIndex = values.findLastIndex((v) => v !== null);
  const latest = latestIndex >= 0 ? values[latestIndex] : null;
  const peak = present.length ? Math.max(...present) : null;
  const idle = `Latest ${fmt(latest, digits, unit)} · peak ${fmt(peak, digits, unit)}`;

  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const show = (i: number | null | undefined) => {
      if (!readout.current) return;
      const t = i === null || i === undefined ? undefined : data.times[i];
      readout.current.textContent =
        t === undefined ? idle : `${timeFormat.format(new Date(t * 1000))}: ${fmt(values[i!], digits, unit)}`;
    };
    const axis = {
      stroke: theme.muted,
      font: theme.font,
      grid: { stroke: theme.border, width: 1 },
      ticks: { stroke: theme.border, width: 1 },
    };
    const options: Options = {
      width: Math.max(200, el.clientWidth),
      height: PLOT_HEIGHT,
      legend: { show: false },
      cursor: { drag: { x: false, y: false, setScale: false }, points: { size: 7 } },
      scales: {
        x: { time: true, range: [data.from, data.to] },
        y: { range: (_u, _min, max) => [0, Math.max(props.minTop, (max ?? 0) * 1.15)] },
      },
      axes: [
        { ...axis, space: 60 },
        {
          ...axis,
          size: 48,
          values: (_u, ticks) => ticks.map((v) => v.toLocaleString(undefined, { maximumFractionDigits: 2 })),
        },
      ],
      series: [
        {},
        {
          label: props.title,
          stroke: theme.accent,
          width: 2,
          fill: translucent(theme.accent, props.kind === "bars" ? 0.55 : 0.15),
          points: { show: props.kind === "line" && present.length < 3, size: 6, fill: theme.accent },
          ...(props.kind === "bars" ? { paths: uPlot.paths.bars!({ size: [0.7, 24] }) } : {}),
        },
      ],
      hooks: { setCursor: [(u) => show(u.cursor.idx)] },
    };
    const plot = new uPlot(options, [data.times, values] as AlignedData, el);
    show(null);
    const resize = new ResizeObserver(() =>
      plot.setSize({ width: Math.max(200, el.clientWidth), height: PLOT_HEIGHT }),
    );
    resize.observe(el);
    return () => {
      resize.disconnect();
      plot.destroy();
    };
  }, [data, values, theme, unit, digits, idle, props.kind, props.minTop, props.title]);

  return (
    <figure className="chart">
      <figcaption>
        <span className="chart-title">{props.title}</span>
        <span className="chart-readout" ref={readout} aria-hidden="true">
          {idle}
        </span>
        <span className="sr-only">{idle}</span>
      </figcaption>
      <div className="chart-plot" ref={box} aria-hidden="true" />
    </figure>
  );
}

/** CPU, power and energy of a server by hour, as three small charts (its own lazy chunk: uPlot). */
export default function ServerCharts({ data }: { data: UsageSeries }) {
  const theme = useTheme();
  return (
    <div className="charts">
      <Chart
        title={data.cpuPercent ? "CPU (average)" : "CPU (vCPUs busy)"}
        unit={data.cpuPercent ? "%" : "vCPUs"}
        digits={1}
        kind="line"
        data={data}
        values={data.cpu}
        minTop={data.cpuPercent ? 10 : 0.1}
        theme={theme}
      />
      <Chart
        title="Power (W)"
        unit="W"
        digits={1}
        kind="line"
        data={data}
        values={data.watts}
        minTop={1}
        theme={theme}
      />
      <Chart
        title="Energy per hour (Wh)"
        unit="Wh"
        digits={1}
        kind="bars"
        data={data}
        values={data.wattHours}
        minTop={1}
        theme={theme}
      />
    </div>
  );
}
