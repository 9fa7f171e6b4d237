import { compileConditions, conditionsHold, type ConditionTest } from "./conditions.ts";
import type { RequestContext } from "./context.ts";
import { listOf } from "./lists.ts";
import { exemptedByNotPrincipal, matchPrincipal, type PrincipalMatch } from "./principals.ts";
import type { PolicyDocument, PolicyStatement, PrincipalBlock, RequestPrincipal } from "./types.ts";
import { mayContainVariables, resolveVariables } from "./variables.ts";
import { compileMatcher, matchesPattern, piecesOf, type Matcher } from "./wildcard.ts";

/** An element that either lists what it covers (Action) or what it excludes (NotAction). */
interface Element<T> {
  readonly values: readonly T[];
  readonly negated: boolean;
}

/** One Resource / NotResource entry; entries with policy variables are resolved per request. */
type ResourceTest = (resource: string, context: RequestContext) => boolean;

/** A statement normalised once per document so that evaluation does no parsing. */
export interface CompiledStatement {
  readonly effect: "Allow" | "Deny";
  /** undefined when the statement has neither Action nor NotAction: it then applies to nothing. */
  readonly actions: Element<Matcher> | undefined;
  /** undefined when the statement has neither Resource nor NotResource (trust policies). */
  readonly resources: Element<ResourceTest> | undefined;
  /** undefined when the statement has neither Principal nor NotPrincipal (identity policies). */
  readonly principal: { readonly block: PrincipalBlock; readonly negated: boolean } | undefined;
  readonly conditions: readonly ConditionTest[];
}

/** AWS substitutes policy variables only in documents with this Version. */
const VARIABLES_VERSION = "2012-10-17";
const ACTION_MATCH = { ignoreCase: true, arnSegments: false } as const;
const RESOURCE_MATCH = { ignoreCase: false, arnSegments: true } as const;
const compiledDocuments = new WeakMap<PolicyDocument, readonly CompiledStatement[]>();

/** Compiled once per document object, so documents must not be mutated once evaluated. */
export function compiledStatements(document: PolicyDocument): readonly CompiledStatement[] {
  let statements = compiledDocuments.get(document);
  if (!statements) {
    const variablesEnabled = document.Version === VARIABLES_VERSION;
    statements = listOf(document.Statement).map((statement) => compileStatement(statement, variablesEnabled));
    compiledDocuments.set(document, statements);
  }
  return statements;
}

function compileStatement(statement: PolicyStatement, variablesEnabled: boolean): CompiledStatement {
  const actions = element(statement.Action, statement.NotAction);
  const resources = element(statement.Resource, statement.NotResource);
  const principalBlock = statement.Principal ?? statement.NotPrincipal;
  return {
    effect: statement.Effect,
    actions: actions && {
      values: actions.values.map((action) => compileMatcher(piecesOf(action), ACTION_MATCH)),
      negated: actions.negated,
    },
    resources: resources && {
      values: resources.values.map((resource) => resourceTest(resource, variablesEnabled)),
      negated: resources.negated,
    },
    principal: principalBlock && { block: principalBlock, negated: statement.Principal === undefined },
    conditions: compileConditions(statement.Condition, variablesEnabled),
  };
}

function element(positive: string | string[] | undefined, negative: string | string[] | undefined): Element<string> | undefined {
  if (positive !== undefined) return { values: listOf(positive), negated: false };
  if (negative !== undefined) return { values: listOf(negative), negated: true };
  return undefined;
}

function resourceTest(pattern: string, variablesEnabled: boolean): ResourceTest {
  if (!mayContainVariables(pattern, variablesEnabled)) {
    const matches = compileMatcher(piecesOf(pattern), RESOURCE_MATCH);
    return (resource) => matches(resource);
  }
  return (resource, context) => {
    const pieces = resolveVariables(pattern, context, variablesEnabled);
    return pieces !== undefined && matchesPattern(pieces, resource, RESOURCE_MATCH);
  };
}

export function actionMatches(statement: CompiledStatement, action: string): boolean {
  const { actions } = statement;
  if (!actions) return false;
  return actions.values.some((matches) => matches(action)) !== actions.negated;
}

export function resourceMatches(statement: CompiledStatement, resource: string, context: RequestContext): boolean {
  const { resources } = statement;
  if (!resources) return true;
  return resources.values.some((matches) => matches(resource, context)) !== resources.negated;
}

export function principalMatch(statement: CompiledStatement, principal: RequestPrincipal): PrincipalMatch {
  if (!statement.principal) return "none";
  const { block, negated } = statement.principal;
  if (!negated) return matchPrincipal(block, principal);
  return exemptedByNotPrincipal(block, principal) ? "none" : "direct";
}

export function conditionsMatch(statement: CompiledStatement, context: RequestContext): boolean {
  return conditionsHold(statement.conditions, context);
}
