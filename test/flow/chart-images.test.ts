import { describe, expect, it } from "vitest";
import { svgToPng } from "../../lib/flow/chart-images.ts";
import { renderPng, rocCurveSpec } from "../../lib/flow/charts.ts";
import { evaluateBinary } from "../../lib/flow/evaluation.ts";
import { parsePredictions } from "../../lib/flow/predict.ts";
import { endpointAnswer } from "../helpers/endpoint-answer.ts";

/** Width and height from the PNG's IHDR chunk, which follows the 8-byte signature and the chunk's length and type. */
function pngSize(png: Buffer): { width: number; height: number } {
  expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  expect(png.subarray(12, 16).toString("latin1")).toBe("IHDR");
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

const textSvg = (text: string) =>
  `<svg xmlns="http://www.w3.org/2000/svg" width="200" height="40"><text x="10" y="28" font-family="sans-serif" font-size="20" font-weight="bold">${text}</text></svg>`;

describe("chart images", () => {
  it("rasterises an SVG at its size, or at twice it", () => {
    expect(pngSize(svgToPng(textSvg("ROC")))).toEqual({ width: 200, height: 40 });
    expect(pngSize(svgToPng(textSvg("ROC"), 2))).toEqual({ width: 400, height: 80 });
  });

  it("draws text with the shipped font, whatever the machine's fonts", () => {
    // Without a font resvg silently leaves text out: the image would be the same as without any.
    const blank = svgToPng(textSvg(""));
    const drawn = svgToPng(textSvg("Confusion matrix"));
    expect(drawn.equals(blank)).toBe(false);
    expect(drawn.length).toBeGreaterThan(blank.length + 200);
  });

  it("renders a chart spec straight to PNG", async () => {
    const evaluation = evaluateBinary(["True.", "False.", "True."], parsePredictions(endpointAnswer([0.9, 0.2, 0.6])));
    const { width, height } = pngSize(await renderPng(rocCurveSpec(evaluation)));
    expect(width).toBeGreaterThan(360);
    expect(height).toBeGreaterThan(360);
  });
});
