"""Drives SageMaker and SageMaker Runtime through botocore and checks every raw response against
botocore's service models (see wire_contract.py). Prints a JSON report; exits 1 on any violation.

The account, role, bucket and training data are prepared by the caller:

    python3 sagemaker_contract.py --endpoint URL --profile NAME --region us-east-1 \\
        --role-arn ARN --train-uri s3://bucket/train/ --output-uri s3://bucket/out \\
        --target 'Churn?' --rows rows.csv --prefix c1

(`--rows`: CSV feature rows without header or target, to invoke the endpoint with.)
"""

import argparse
import csv
import json
import sys
import time
import traceback

import botocore.session
from botocore.config import Config

from wire_contract import WireContract

JOB_TIMEOUT_SECONDS = 45
POLL_SECONDS = 0.2


def arguments():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    for name in ("endpoint", "profile", "region", "role-arn", "train-uri", "output-uri", "target", "rows", "prefix"):
        parser.add_argument(f"--{name}", required=True)
    return parser.parse_args()


class Scenario:
    """The Autopilot flow, from jobs to endpoint to cleanup, with the errors it can meet."""

    def __init__(self, args):
        session = botocore.session.Session(profile=args.profile)
        config = Config(region_name=args.region, retries={"total_max_attempts": 1}, read_timeout=60)
        self.contract = WireContract()
        self.sm = self.contract.attach(session.create_client("sagemaker", endpoint_url=args.endpoint, config=config))
        self.rt = self.contract.attach(session.create_client("sagemaker-runtime", endpoint_url=args.endpoint, config=config))
        # Uploads a batch transform's input; S3's answers are not what this checks.
        self.s3 = session.create_client("s3", endpoint_url=args.endpoint, config=config.merge(Config(s3={"addressing_style": "path"})))
        self.args = args
        self.observed = {}

    def sagemaker(self, operation, errors=(), success=True, **params):
        return self.contract.call(self.sm, operation, params, errors, success)

    def describe(self, operation, name, done=lambda status: True, timeout=JOB_TIMEOUT_SECONDS):
        """Describes a job or endpoint until `done(status)`, checking every answer and recording the statuses seen."""
        members = {"DescribeEndpoint": ("EndpointName", "EndpointStatus"), "DescribeTransformJob": ("TransformJobName", "TransformJobStatus")}
        name_member, status_member = members.get(operation, ("AutoMLJobName", "AutoMLJobStatus"))
        seen = self.observed.setdefault(operation, {}).setdefault(name, [])
        deadline = time.monotonic() + timeout
        while True:
            result = self.sagemaker(operation, **{name_member: name})
            if result is None:
                raise RuntimeError(f"{operation} {name} failed")
            status = result[status_member]
            if status not in seen:
                seen.append(status)
            if done(status):
                return result
            if time.monotonic() > deadline:
                raise RuntimeError(f"{operation} {name} still {status} after {timeout} s")
            time.sleep(POLL_SECONDS)

    def paginate(self, operation, key, **params):
        """Follows NextToken to the end, checking every page; returns all items."""
        items, token = [], None
        while True:
            page = self.sagemaker(operation, **params, **({"NextToken": token} if token else {}))
            if page is None:
                return items
            items += page.get(key, [])
            token = page.get("NextToken")
            if not token:
                return items

    def run(self):
        """Runs the scenario; a step that cannot go on ends it as a violation, keeping what was checked so far."""
        names = {kind: f"{self.args.prefix}-{kind}" for kind in ("v1", "v2", "stop", "model", "config", "endpoint", "transform")}
        try:
            self.jobs(names)
            # v1 runs in HYPERPARAMETER_TUNING mode (a three-container pipeline), v2 in AUTO (ENSEMBLING here, one container).
            for job, operation, suffix in ((names["v1"], "DescribeAutoMLJob", ""), (names["v2"], "DescribeAutoMLJobV2", "-ens")):
                best = self.describe(operation, job)["BestCandidate"]
                self.hosting({kind: f"{name}{suffix}" for kind, name in names.items()}, best["InferenceContainers"])
            self.errors(names)
        except Exception as error:
            traceback.print_exc()
            self.contract.add("(scenario)", "(steps)", f"the scenario stopped: {type(error).__name__}: {error}")
        return {**self.contract.report(), "observed": self.observed}

    def jobs(self, names):
        args = self.args
        source = {"S3DataSource": {"S3DataType": "S3Prefix", "S3Uri": args.train_uri}}
        self.sagemaker(
            "CreateAutoMLJob",
            AutoMLJobName=names["v1"],
            InputDataConfig=[{"DataSource": source, "TargetAttributeName": args.target}],
            OutputDataConfig={"S3OutputPath": args.output_uri},
            ProblemType="BinaryClassification",
            AutoMLJobObjective={"MetricName": "F1"},
            AutoMLJobConfig={"CompletionCriteria": {"MaxCandidates": 2}, "Mode": "HYPERPARAMETER_TUNING"},
            RoleArn=args.role_arn,
        )
        self.describe("DescribeAutoMLJob", names["v1"])
        self.sagemaker(
            "CreateAutoMLJobV2",
            AutoMLJobName=names["v2"],
            AutoMLJobInputDataConfig=[{"ChannelType": "training", "ContentType": "text/csv;header=present", "DataSource": source}],
            AutoMLProblemTypeConfig={"TabularJobConfig": {"TargetAttributeName": args.target, "CompletionCriteria": {"MaxCandidates": 2}}},
            OutputDataConfig={"S3OutputPath": args.output_uri},
            RoleArn=args.role_arn,
        )
        self.describe("DescribeAutoMLJobV2", names["v2"])
        self.sagemaker(
            "CreateAutoMLJob",
            AutoMLJobName=names["stop"],
            InputDataConfig=[{"DataSource": source, "TargetAttributeName": args.target}],
            OutputDataConfig={"S3OutputPath": args.output_uri},
            AutoMLJobConfig={"CompletionCriteria": {"MaxCandidates": 50}},
            RoleArn=args.role_arn,
        )
        self.sagemaker("StopAutoMLJob", AutoMLJobName=names["stop"])
        ended = lambda status: status not in ("InProgress", "Stopping")
        self.describe("DescribeAutoMLJob", names["stop"], ended)
        self.describe("DescribeAutoMLJob", names["v1"], ended)
        self.describe("DescribeAutoMLJobV2", names["v2"], ended)
        self.sagemaker("StopAutoMLJob", AutoMLJobName=names["v1"])

        self.paginate("ListAutoMLJobs", "AutoMLJobSummaries", MaxResults=1, NameContains=self.args.prefix)
        self.sagemaker("ListAutoMLJobs", StatusEquals="Completed", SortBy="Name", SortOrder="Ascending")
        for job in (names["v1"], names["v2"], names["stop"]):
            self.paginate("ListCandidatesForAutoMLJob", "Candidates", AutoMLJobName=job, MaxResults=1)
        self.sagemaker("ListCandidatesForAutoMLJob", AutoMLJobName=names["v1"], SortBy="FinalObjectiveMetricValue", SortOrder="Descending", MaxResults=300)
        completed = self.sagemaker("ListCandidatesForAutoMLJob", AutoMLJobName=names["v1"], StatusEquals="Completed")
        for candidate in (completed or {}).get("Candidates", []):
            training = [step for step in candidate["CandidateSteps"] if step["CandidateStepType"] == "AWS::SageMaker::TrainingJob"]
            self.sagemaker("DescribeTrainingJob", TrainingJobName=training[-1]["CandidateStepName"])

    def hosting(self, names, containers):
        role = self.args.role_arn
        model = {"Containers": containers} if len(containers) > 1 else {"PrimaryContainer": containers[0]}
        self.sagemaker("CreateModel", ModelName=names["model"], ExecutionRoleArn=role, **model)
        self.sagemaker("DescribeModel", ModelName=names["model"])
        self.paginate("ListModels", "Models", MaxResults=1)
        variant = {"VariantName": "main", "ModelName": names["model"], "InitialInstanceCount": 1, "InstanceType": "ml.m5.xlarge"}
        self.sagemaker("CreateEndpointConfig", EndpointConfigName=names["config"], ProductionVariants=[variant])
        self.sagemaker("DescribeEndpointConfig", EndpointConfigName=names["config"])
        self.paginate("ListEndpointConfigs", "EndpointConfigs", MaxResults=1)
        self.sagemaker("CreateEndpoint", EndpointName=names["endpoint"], EndpointConfigName=names["config"])
        endpoint = self.describe("DescribeEndpoint", names["endpoint"], lambda status: status not in ("Creating", "Updating"))
        if endpoint["EndpointStatus"] != "InService":
            raise RuntimeError(f"endpoint {names['endpoint']} is {endpoint['EndpointStatus']}: {endpoint.get('FailureReason')}")
        self.sagemaker("ListEndpoints", NameContains=self.args.prefix)
        self.paginate("ListEndpoints", "Endpoints", MaxResults=1)
        self.invocations(names["endpoint"])
        self.transform(names["transform"], names["model"])
        self.sagemaker("DeleteEndpoint", EndpointName=names["endpoint"])
        self.sagemaker("DescribeEndpoint", ("ValidationException",), success=True, EndpointName=names["endpoint"])
        self.sagemaker("DeleteEndpointConfig", EndpointConfigName=names["config"])
        self.sagemaker("DeleteModel", ModelName=names["model"])

    def invocations(self, endpoint):
        with open(self.args.rows, newline="") as file:
            rows = [row for row in csv.reader(file) if row]
        text = "".join(",".join(row) + "\n" for row in rows)
        instances = json.dumps({"instances": [{"features": row} for row in rows]})
        for content_type, body, accept in (("text/csv", text, "text/csv"), ("text/csv", text, "application/json"), ("application/json", instances, "application/json")):
            answer = self.contract.call(self.rt, "InvokeEndpoint", {"EndpointName": endpoint, "ContentType": content_type, "Accept": accept, "Body": body.encode()})
            if answer is not None and answer.get("ContentType", "").split(";")[0] != accept:
                self.contract.add("InvokeEndpoint", "ContentType", f"asked Accept {accept}, answered Content-Type {answer.get('ContentType')!r}")
        self.contract.call(self.rt, "InvokeEndpoint", {"EndpointName": endpoint, "ContentType": "text/csv", "Body": b"1,2,3\n"}, ("ModelError",), success=False)
        self.contract.call(self.rt, "InvokeEndpoint", {"EndpointName": f"{endpoint}-missing", "ContentType": "text/csv", "Body": text.encode()}, ("ValidationError",), success=False)

    def transform(self, name, model):
        """A batch transform of the rows, joined to their input, and one stopped at once."""
        bucket, _, prefix = self.args.output_uri[len("s3://"):].partition("/")
        key = f"{prefix}/transform-input/{name}/rows.csv".lstrip("/")
        with open(self.args.rows, "rb") as file:
            self.s3.put_object(Bucket=bucket, Key=key, Body=file.read())
        job = {
            "ModelName": model,
            "TransformInput": {"DataSource": {"S3DataSource": {"S3DataType": "S3Prefix", "S3Uri": f"s3://{bucket}/{key}"}}, "ContentType": "text/csv", "SplitType": "Line"},
            "TransformOutput": {"S3OutputPath": f"{self.args.output_uri}/transform-output/{name}", "Accept": "application/jsonlines", "AssembleWith": "Line"},
            "TransformResources": {"InstanceType": "ml.m5.xlarge", "InstanceCount": 1},
            "DataProcessing": {"InputFilter": "$", "JoinSource": "Input", "OutputFilter": "$['SageMakerOutput']"},
            "ModelClientConfig": {"InvocationsTimeoutInSeconds": 60, "InvocationsMaxRetries": 1},
            "Tags": [{"Key": "step", "Value": "batch"}],
        }
        ended = lambda status: status not in ("InProgress", "Stopping")
        self.sagemaker("CreateTransformJob", TransformJobName=name, BatchStrategy="MultiRecord", MaxPayloadInMB=1, **job)
        result = self.describe("DescribeTransformJob", name, ended)
        if result["TransformJobStatus"] != "Completed":
            raise RuntimeError(f"transform job {name} is {result['TransformJobStatus']}: {result.get('FailureReason')}")
        self.sagemaker("StopTransformJob", ("ValidationException",), success=False, TransformJobName=name)
        self.sagemaker("CreateTransformJob", TransformJobName=f"{name}-stop", **job)
        self.sagemaker("StopTransformJob", TransformJobName=f"{name}-stop")
        self.describe("DescribeTransformJob", f"{name}-stop", ended)
        self.paginate("ListTransformJobs", "TransformJobSummaries", MaxResults=1, NameContains=self.args.prefix)
        self.sagemaker("ListTransformJobs", StatusEquals="Completed", SortBy="Status", SortOrder="Ascending")
        self.sagemaker("CreateTransformJob", ("ResourceInUse",), success=False, TransformJobName=name, **job)

    def errors(self, names):
        missing = f"{self.args.prefix}-missing"
        for operation in ("DescribeAutoMLJob", "DescribeAutoMLJobV2", "ListCandidatesForAutoMLJob", "StopAutoMLJob"):
            self.sagemaker(operation, ("ResourceNotFound",), success=False, AutoMLJobName=missing)
        self.sagemaker("DescribeTrainingJob", ("ValidationException",), success=False, TrainingJobName=missing)
        for operation in ("DescribeTransformJob", "StopTransformJob"):
            self.sagemaker(operation, ("ResourceNotFound",), success=False, TransformJobName=missing)
        for operation, params in (("DescribeModel", {"ModelName": missing}), ("DescribeEndpointConfig", {"EndpointConfigName": missing}), ("DescribeEndpoint", {"EndpointName": missing})):
            self.sagemaker(operation, ("ValidationException",), success=False, **params)
        source = {"S3DataSource": {"S3DataType": "S3Prefix", "S3Uri": self.args.train_uri}}
        self.sagemaker(
            "CreateAutoMLJob",
            ("ResourceInUse",),
            success=False,
            AutoMLJobName=names["v1"],
            InputDataConfig=[{"DataSource": source, "TargetAttributeName": self.args.target}],
            OutputDataConfig={"S3OutputPath": self.args.output_uri},
            RoleArn=self.args.role_arn,
        )


def main():
    report = Scenario(arguments()).run()
    json.dump(report, sys.stdout, indent=2, default=str)
    sys.stdout.write("\n")
    return 1 if report["violations"] else 0


if __name__ == "__main__":
    sys.exit(main())
