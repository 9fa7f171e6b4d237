/** An ENSEMBLING endpoint's JSON answer: `probability` is the predicted label's, `probabilities` follow `labels`. */
export function endpointAnswer(positiveProbabilities: number[]): string {
  const labels = ["False.", "True."];
  const predictions = positiveProbabilities.map((p) => ({ predicted_label: p > 0.5 ? "True." : "False.", probability: Math.max(p, 1 - p), probabilities: [1 - p, p], labels }));
  return JSON.stringify({ predictions });
}
