// Renders ECharts options to SVG and PNG without a browser (ECharts server-side rendering + resvg).
// Input (stdin, JSON): {"font": "/path/font.ttc", "out": "/dir", "charts": [{"name", "option", "width", "height"}]}
// Output (stdout, JSON): {"name": {"svg": path, "png": path}, ...}
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import * as echarts from "echarts";
import { Resvg } from "@resvg/resvg-js";

const request = JSON.parse(readFileSync(0, "utf8"));
// The China map (GeoJSON of ECharts 4, installed from npm as "echarts-china-map") for map charts.
try {
  const url = new URL("../../node_modules/echarts-china-map/map/json/china.json", import.meta.url);
  echarts.registerMap("china", JSON.parse(readFileSync(url, "utf8")));
} catch (error) {
  process.stderr.write(`china map not available: ${error.message}\n`);
}
const result = {};
for (const item of request.charts) {
  const chart = echarts.init(null, null, {
    renderer: "svg",
    ssr: true,
    width: item.width || 900,
    height: item.height || 520,
  });
  const option = { animation: false, textStyle: { fontFamily: request.family || "sans-serif" }, ...item.option };
  delete option.toolbox;
  chart.setOption(option);
  const svg = chart.renderToSVGString();
  chart.dispose();
  const svgPath = join(request.out, `${item.name}.svg`);
  writeFileSync(svgPath, svg);
  const fonts = request.font ? { fontFiles: [request.font], loadSystemFonts: false, defaultFontFamily: request.family }
                             : { loadSystemFonts: true };
  const png = new Resvg(svg, { font: fonts, background: "white", fitTo: { mode: "zoom", value: 2 } }).render().asPng();
  const pngPath = join(request.out, `${item.name}.png`);
  writeFileSync(pngPath, png);
  result[item.name] = { svg: svgPath, png: pngPath };
}
process.stdout.write(JSON.stringify(result));
