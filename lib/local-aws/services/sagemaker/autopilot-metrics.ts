/** AutoMLMetricEnum of the service model: what an objective and a CandidateMetrics MetricName can be. */
export const AUTOML_METRICS = ["Accuracy", "MSE", "F1", "F1macro", "AUC", "RMSE", "BalancedAccuracy", "R2", "Recall", "RecallMacro", "Precision", "PrecisionMacro", "MAE", "MAPE", "MASE", "WAPE", "AverageWeightedQuantileLoss"] as const;

/** The enum's metrics for time-series forecasting, which tabular jobs do not take. */
export const FORECASTING_METRICS: readonly string[] = ["MAPE", "MASE", "WAPE", "AverageWeightedQuantileLoss"];

/**
 * Whether a metric may stand as MetricName. Others the candidates report (LogLoss) appear only as
 * StandardMetricName (AutoMLMetricExtendedEnum; "Metrics and validation", autopilot-metrics-validation.html).
 */
export function isObjectiveMetric(name: string): boolean {
  return (AUTOML_METRICS as readonly string[]).includes(name);
}
