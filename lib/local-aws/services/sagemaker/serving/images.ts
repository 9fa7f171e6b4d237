/**
 * The local Autopilot's inference images, each standing in for the AWS images of the same role
 * (AWS developer guide, "Configure inference output in generated containers"): one container in
 * ENSEMBLING mode (AutoGluon's), and in HYPERPARAMETER_TUNING mode a data processor
 * (sagemaker-sklearn-automl, serving the feature transform and the inverse label transform) around
 * an algorithm (XGBoost, Linear Learner or MXNet's MLP on AWS; the engine's learners here).
 */
export const AUTOPILOT_REPOSITORIES = {
  ensemble: "local-autopilot-ensemble",
  dataProcessor: "local-autopilot-sklearn-automl",
  algorithm: "local-autopilot-algorithm",
} as const;
export type AutopilotImageRole = keyof typeof AUTOPILOT_REPOSITORIES;

export const autopilotImage = (region: string, role: AutopilotImageRole) => `local-aws.dkr.ecr.${region}.amazonaws.com/${AUTOPILOT_REPOSITORIES[role]}:1`;

/** Which of the local images a container's Image names, whatever registry and tag. */
export function imageRole(image: string): AutopilotImageRole | undefined {
  const repository = image.replace(/[:@][^/]*$/, "").split("/").at(-1);
  return (Object.keys(AUTOPILOT_REPOSITORIES) as AutopilotImageRole[]).find((role) => AUTOPILOT_REPOSITORIES[role] === repository);
}
