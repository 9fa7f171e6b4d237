import { Resvg } from "@resvg/resvg-js";
import { createRequire } from "node:module";

// The charts as PNG images, for every place an SVG does not survive: Debian's `jupyter nbconvert
// --to html` prefers an output's SVG and strips it (its sanitiser drops <svg> elements), an
// untrusted notebook shows no SVG, and GitHub's and VS Code's viewers differ. A PNG shows everywhere.

const FONT_FAMILY = "DejaVu Sans";

/**
 * The chart text's font, shipped in an npm package so that a machine without system fonts (a fresh
 * CI box) draws the same text: DejaVu Sans, regular and bold (vega's titles), as Debian's default.
 */
function fontFiles(): string[] {
  const require = createRequire(import.meta.url);
  return ["DejaVuSans.ttf", "DejaVuSans-Bold.ttf"].map((file) => require.resolve(`dejavu-fonts-ttf/ttf/${file}`));
}

/**
 * Rasterises an SVG document (a chart from `renderSvg`) to PNG on a white background; `scale` 2
 * draws it at twice its size, for files shown on high-density screens or printed.
 */
export function svgToPng(svg: string, scale = 1): Buffer {
  const image = new Resvg(svg, {
    fitTo: { mode: "zoom", value: scale },
    background: "white",
    // Only the shipped font: system fonts would make the same chart differ from machine to machine.
    font: { loadSystemFonts: false, fontFiles: fontFiles(), defaultFontFamily: FONT_FAMILY, sansSerifFamily: FONT_FAMILY },
  });
  return image.render().asPng();
}
