import { GetObjectCommand, ListObjectsV2Command, type S3Client } from "@aws-sdk/client-s3";
import type { AutoMLCandidate } from "@aws-sdk/client-sagemaker";

export interface FeatureImportance {
  column: string;
  /** The column's share of the model's total importance (the shares sum to 1). */
  importance: number;
}

/** Autopilot's explainability report is SageMaker Clarify's analysis.json: mean |SHAP| per column. */
interface ClarifyAnalysis {
  explanations?: { kernel_shap?: Record<string, { global_shap_values?: Record<string, number> }> };
}

function s3Location(uri: string): { bucket: string; prefix: string } {
  const match = /^s3:\/\/([^/]+)\/?(.*)$/.exec(uri);
  if (!match) throw new Error(`"${uri}" is not an S3 URI like s3://bucket/prefix`);
  return { bucket: match[1]!, prefix: match[2]! };
}

function asShares(values: [string, number][]): FeatureImportance[] {
  const total = values.reduce((sum, [, value]) => sum + Math.abs(value), 0);
  return values.map(([column, value]) => ({ column, importance: total ? Math.abs(value) / total : 0 })).sort((a, b) => b.importance - a.importance);
}

/**
 * Importance from Clarify's analysis.json, as real Autopilot and the local one write it (the local
 * one fills it with the engine's permutation importance).
 */
export function parseImportanceReport(fileName: string, text: string): FeatureImportance[] {
  const byLabel = (JSON.parse(text) as ClarifyAnalysis | null)?.explanations?.kernel_shap ?? {};
  const first = Object.values(byLabel)[0]?.global_shap_values;
  if (!first) throw new Error(`${fileName} holds no kernel_shap global_shap_values`);
  return asShares(Object.entries(first));
}

const REPORT_FILE = "analysis.json";

/** The best candidate's feature importance from its explainability report, or undefined when the job wrote none (yet). */
export async function readFeatureImportance(s3: S3Client, candidate: AutoMLCandidate): Promise<FeatureImportance[] | undefined> {
  const uri = candidate.CandidateProperties?.CandidateArtifactLocations?.Explainability;
  if (!uri) return undefined;
  const { bucket, prefix } = s3Location(uri);
  let token: string | undefined;
  do {
    const page = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }));
    const report = page.Contents?.find(({ Key }) => Key?.endsWith(`/${REPORT_FILE}`));
    if (report?.Key) {
      const { Body } = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: report.Key }));
      if (!Body) throw new Error(`s3://${bucket}/${report.Key} answered without a body`);
      return parseImportanceReport(report.Key, await Body.transformToString());
    }
    token = page.NextContinuationToken;
  } while (token);
  return undefined;
}
