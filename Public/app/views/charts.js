// Bar charts drawn as SVG elements (no library): one bar per row, labelled, with a title.
const NS = "http://www.w3.org/2000/svg";

function svg(tag, attributes = {}, text) {
  const element = document.createElementNS(NS, tag);
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, String(value));
  if (text !== undefined) element.textContent = text;
  return element;
}

/** A horizontal bar chart of `rows` ({label, value, text}) with an accessible title. */
export function barChart(title, rows) {
  const barHeight = 22, gap = 6, labelWidth = 120, width = 640, valueWidth = 110;
  const height = Math.max(1, rows.length) * (barHeight + gap) + gap;
  const max = Math.max(...rows.map((row) => row.value), 0) || 1;
  const chart = svg("svg", { viewBox: `0 0 ${width} ${height}`, role: "img", "aria-label": `${title}: ${rows.map((row) => `${row.label} ${row.text}`).join("; ")}` });
  chart.append(svg("title", {}, title));
  rows.forEach((row, index) => {
    const y = gap + index * (barHeight + gap);
    const length = ((width - labelWidth - valueWidth) * row.value) / max;
    chart.append(
      svg("text", { x: labelWidth - 8, y: y + barHeight * 0.7, "text-anchor": "end" }, row.label),
      svg("rect", { class: "bar", x: labelWidth, y, width: Math.max(length, row.value > 0 ? 2 : 0), height: barHeight, rx: 3 }),
      svg("text", { x: labelWidth + length + 6, y: y + barHeight * 0.7 }, row.text));
  });
  return chart;
}
