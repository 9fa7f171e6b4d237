/** Scales non-negative importances to sum to 1; all zeros stay zeros. */
export function normalizeImportance(importance: Float64Array): Float64Array {
  const total = importance.reduce((sum, value) => sum + value, 0);
  return total > 0 ? importance.map((value) => value / total) : importance;
}
