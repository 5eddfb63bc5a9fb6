/**
 * Finds every message the code can show a client: the literal first argument of the error
 * helpers of platform/errors.ts (`badInput('…')`, `forbidden(`… ${x} …`)`, `appError(code, '…')`,
 * …), as catalog keys (an interpolation `${expr}` becomes a `{name}` placeholder). The i18n test
 * checks each against the catalogs of platform/i18n.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

/** Helpers whose first argument is the message. */
const MESSAGE_FIRST = new Set(['unauthenticated', 'forbidden', 'badInput', 'conflict', 'notFound', 'message']);
/** Helpers whose second argument is the message (the first is the code). */
const MESSAGE_SECOND = new Set(['appError', 'httpError', 'errorBody', 'operationLimitError']);

export interface FoundMessage {
  key: string;
  where: string;
}

export interface Extraction {
  messages: FoundMessage[];
  /** Messages built in a way the extractor cannot read (a variable, a call): where they are. */
  unreadable: string[];
}

/** The placeholder name of an interpolated expression: its last identifier (`lessons.length` → length). */
function placeholderName(expr: ts.Expression): string {
  const ids = expr.getText().match(/[A-Za-z_]\w*/g) ?? ['value'];
  return ids[ids.length - 1];
}

/** The catalog keys an expression can evaluate to, or undefined when it is not made of literals. */
function keysOf(expr: ts.Expression, constants: Map<string, ts.Expression>): string[] | undefined {
  // A message kept in a module constant (`const INVALID = 'Invalid refresh token'`).
  if (ts.isIdentifier(expr)) {
    const value = constants.get(expr.text);
    return value && keysOf(value, constants);
  }
  if (ts.isStringLiteral(expr) || ts.isNoSubstitutionTemplateLiteral(expr)) return [expr.text];
  if (ts.isTemplateExpression(expr)) {
    return [expr.head.text + expr.templateSpans.map((s) => `{${placeholderName(s.expression)}}${s.literal.text}`).join('')];
  }
  if (ts.isParenthesizedExpression(expr)) return keysOf(expr.expression, constants);
  if (ts.isConditionalExpression(expr)) {
    const a = keysOf(expr.whenTrue, constants);
    const b = keysOf(expr.whenFalse, constants);
    return a && b ? [...a, ...b] : undefined;
  }
  if (ts.isBinaryExpression(expr) && expr.operatorToken.kind === ts.SyntaxKind.PlusToken) {
    const a = keysOf(expr.left, constants);
    const b = keysOf(expr.right, constants);
    return a && b ? a.flatMap((x) => b.map((y) => x + y)) : undefined;
  }
  return undefined;
}

export function extractMessages(files: string[], root = process.cwd()): Extraction {
  const messages: FoundMessage[] = [];
  const unreadable: string[] = [];
  for (const file of files) {
    const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.ES2022, true);
    const where = (node: ts.Node) => `${path.relative(root, file)}:${source.getLineAndCharacterOfPosition(node.getStart()).line + 1}`;
    const constants = new Map<string, ts.Expression>();
    const collect = (node: ts.Node) => {
      if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name) && node.initializer) constants.set(node.name.text, node.initializer);
      ts.forEachChild(node, collect);
    };
    collect(source);
    const visit = (node: ts.Node) => {
      if (ts.isCallExpression(node) && ts.isIdentifier(node.expression)) {
        const name = node.expression.text;
        const arg = MESSAGE_FIRST.has(name) ? node.arguments[0] : MESSAGE_SECOND.has(name) ? node.arguments[1] : undefined;
        if (arg) {
          // notFound('Course') says "Course not found".
          const keys = keysOf(arg, constants)?.map((k) => (name === 'notFound' ? `${k} not found` : k));
          if (keys) for (const key of keys) messages.push({ key, where: where(arg) });
          else unreadable.push(`${where(arg)} ${name}(${arg.getText()})`);
        }
      }
      // A helper's default message (`forbidden = (message = 'Not allowed') => …`).
      if (ts.isArrowFunction(node) && ts.isVariableDeclaration(node.parent) && ts.isIdentifier(node.parent.name)) {
        const helper = node.parent.name.text;
        const param = node.parameters[0];
        if (MESSAGE_FIRST.has(helper) && param?.initializer) {
          for (const key of keysOf(param.initializer, constants) ?? []) messages.push({ key, where: where(param) });
        }
      }
      // A refusal of the file routes (`{ denied: 'URL expired' }`).
      if (ts.isPropertyAssignment(node) && node.name.getText() === 'denied') {
        for (const key of keysOf(node.initializer, constants) ?? []) messages.push({ key, where: where(node) });
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  return { messages, unreadable };
}
