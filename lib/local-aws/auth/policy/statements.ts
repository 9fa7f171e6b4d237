import { compileConditions, conditionsHold, type ConditionTest } from "./conditions.ts";
import type { RequestContext } from "./context.ts";
import { listOf } from "./lists.ts";
import { matchPrincipal, type PrincipalMatch } from "./principals.ts";
import type { PolicyDocument, PolicyStatement, PrincipalBlock, RequestPrincipal } from "./types.ts";
import { resolveVariables } from "./variables.ts";
import { matchesPattern, piecesOf, type PatternPiece } from "./wildcard.ts";

/** An element that either lists what it covers (Action) or what it excludes (NotAction). */
interface Element<T> {
  readonly values: readonly T[];
  readonly negated: boolean;
}

/** A statement normalised once per document so that evaluation does no parsing. */
export interface CompiledStatement {
  readonly effect: "Allow" | "Deny";
  /** undefined when the statement has neither Action nor NotAction: it then applies to nothing. */
  readonly actions: Element<readonly PatternPiece[]> | undefined;
  /** undefined when the statement has neither Resource nor NotResource (trust policies). */
  readonly resources: Element<string> | undefined;
  /** undefined when the statement has neither Principal nor NotPrincipal (identity policies). */
  readonly principal: { readonly block: PrincipalBlock; readonly negated: boolean } | undefined;
  readonly conditions: readonly ConditionTest[];
  /** AWS substitutes policy variables only in documents with Version 2012-10-17. */
  readonly variablesEnabled: boolean;
}

const VARIABLES_VERSION = "2012-10-17";
const ACTION_MATCH = { ignoreCase: true, arnSegments: false } as const;
const RESOURCE_MATCH = { ignoreCase: false, arnSegments: true } as const;
const compiledDocuments = new WeakMap<PolicyDocument, readonly CompiledStatement[]>();

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
  const principalBlock = statement.Principal ?? statement.NotPrincipal;
  return {
    effect: statement.Effect,
    actions: actions && { values: actions.values.map(piecesOf), negated: actions.negated },
    resources: element(statement.Resource, statement.NotResource),
    principal: principalBlock && { block: principalBlock, negated: statement.Principal === undefined },
    conditions: compileConditions(statement.Condition),
    variablesEnabled,
  };
}

function element(positive: string | string[] | undefined, negative: string | string[] | undefined): Element<string> | undefined {
  if (positive !== undefined) return { values: listOf(positive), negated: false };
  if (negative !== undefined) return { values: listOf(negative), negated: true };
  return undefined;
}

export function actionMatches(statement: CompiledStatement, action: string): boolean {
  const { actions } = statement;
  if (!actions) return false;
  return actions.values.some((pattern) => matchesPattern(pattern, action, ACTION_MATCH)) !== actions.negated;
}

export function resourceMatches(statement: CompiledStatement, resource: string, context: RequestContext): boolean {
  const { resources } = statement;
  if (!resources) return true;
  const listed = resources.values.some((pattern) => {
    const pieces = resolveVariables(pattern, context, statement.variablesEnabled);
    return pieces !== undefined && matchesPattern(pieces, resource, RESOURCE_MATCH);
  });
  return listed !== resources.negated;
}

/**
 * NotPrincipal applies to every caller it does not cover at any level: listing the caller's account
 * (or its role) exempts the caller, as in iam-simulate.
 */
export function principalMatch(statement: CompiledStatement, principal: RequestPrincipal): PrincipalMatch {
  if (!statement.principal) return "none";
  const match = matchPrincipal(statement.principal.block, principal);
  if (!statement.principal.negated) return match;
  return match === "none" ? "direct" : "none";
}

export function conditionsMatch(statement: CompiledStatement, context: RequestContext): boolean {
  return conditionsHold(statement.conditions, context, statement.variablesEnabled);
}
