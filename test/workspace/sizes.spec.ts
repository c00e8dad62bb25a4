import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

/**
 * Issue 10's size rule: no production source file over 400 lines, no function over 80 lines.
 *
 * Production sources are the TypeScript files git knows under apps/, libs/ and workflows/ (tracked,
 * or new and not ignored), less test code:
 * - specs of every kind (*.spec.ts, *.int-spec.ts, *.e2e-spec.ts, *.drill-spec.ts);
 * - anything under a test/ or bench/ folder;
 * - libs/testing/ (the running-system harness, type:testing, importable only by test projects) and
 *   the testing/ entry points of other libraries (libs/domain/src/testing/, libs/postgres/src/testing*):
 *   helpers that only specs import, never shipped in an app.
 * There is no generated code among them (migrations are written by hand), so nothing else is exempt.
 */
const root = path.resolve(__dirname, '../..');
const MAX_FILE_LINES = 400;
const MAX_FUNCTION_LINES = 80;

const SPEC = /\.(spec|int-spec|e2e-spec|drill-spec)\.ts$/;
const TEST_CODE = /(^|\/)(test|bench|testing)(\/|\.ts$)|^libs\/testing\//;

export function isProductionSource(file: string): boolean {
  return (
    /^(apps|libs|workflows)\//.test(file) &&
    file.endsWith('.ts') &&
    !file.endsWith('.d.ts') &&
    !SPEC.test(file) &&
    !TEST_CODE.test(file)
  );
}

function productionSources(): string[] {
  const out = execFileSync(
    'git',
    ['ls-files', '--cached', '--others', '--exclude-standard', '--', 'apps', 'libs', 'workflows'],
    {
      cwd: root,
      encoding: 'utf8',
    },
  );
  const files = new Set(out.split('\n').filter((f) => isProductionSource(f) && existsSync(path.join(root, f))));
  return [...files].sort();
}

function lineCount(text: string): number {
  const lines = text.split('\n');
  return text.endsWith('\n') ? lines.length - 1 : lines.length;
}

function functionName(node: ts.FunctionLikeDeclaration, source: ts.SourceFile): string {
  if (node.name) return node.name.getText(source);
  if (ts.isConstructorDeclaration(node)) return 'constructor';
  const parent = node.parent;
  if (
    (ts.isVariableDeclaration(parent) || ts.isPropertyAssignment(parent) || ts.isPropertyDeclaration(parent)) &&
    parent.name
  ) {
    return parent.name.getText(source);
  }
  const line = source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1;
  return `<anonymous at line ${line}>`;
}

function isFunctionLike(node: ts.Node): node is ts.FunctionLikeDeclaration {
  return (
    ts.isFunctionDeclaration(node) ||
    ts.isMethodDeclaration(node) ||
    ts.isArrowFunction(node) ||
    ts.isFunctionExpression(node) ||
    ts.isConstructorDeclaration(node) ||
    ts.isGetAccessorDeclaration(node) ||
    ts.isSetAccessorDeclaration(node)
  );
}

/** Every function in a source text longer than the limit, with its line count (its own lines, nested ones included). */
export function longFunctions(fileName: string, text: string, max = MAX_FUNCTION_LINES): string[] {
  const source = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const found: string[] = [];
  const visit = (node: ts.Node): void => {
    if (isFunctionLike(node) && node.body) {
      const start = source.getLineAndCharacterOfPosition(node.getStart(source)).line;
      const end = source.getLineAndCharacterOfPosition(node.getEnd()).line;
      const lines = end - start + 1;
      if (lines > max) found.push(`${fileName}:${start + 1} ${functionName(node, source)} is ${lines} lines`);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

describe('source sizes (issue 10)', () => {
  const files = productionSources();

  it('finds the production sources and leaves test code out', () => {
    expect(files.length).toBeGreaterThan(50);
    expect(files).toContain('libs/event-store/src/lib/event-store.ts');
    for (const f of [
      'libs/event-store/src/lib/event-store.int-spec.ts',
      'libs/domain/src/decider.spec.ts',
      'libs/testing/src/lib/system.ts',
      'libs/domain/src/testing/decider.ts',
      'libs/postgres/src/testing.ts',
      'test/e2e/lifecycle.e2e-spec.ts',
      'libs/event-store/bench/append.ts',
    ]) {
      expect(isProductionSource(f)).toBe(false);
    }
  });

  it('flags a long function of every kind, and no short one', () => {
    const body = (n: number) => Array.from({ length: n }, (_, i) => `  const v${i} = ${i};`).join('\n');
    const text = [
      `function declared() {\n${body(78)}\n}`,
      `function declaredLong() {\n${body(79)}\n}`,
      `class C {\n  method() {\n${body(80)}\n  }\n  constructor() {\n${body(80)}\n  }\n}`,
      `const arrow = () => {\n${body(80)}\n};`,
      `const expr = function () {\n${body(80)}\n};`,
      `[].map((x) => {\n${body(80)}\n});`,
    ].join('\n');
    const found = longFunctions('probe.ts', text);
    expect(found.map((f) => f.replace(/^probe\.ts:\d+ /, ''))).toEqual([
      'declaredLong is 81 lines',
      'method is 82 lines',
      'constructor is 82 lines',
      'arrow is 82 lines',
      'expr is 82 lines',
      expect.stringMatching(/^<anonymous at line \d+> is 82 lines$/),
    ]);
  });

  it(`has no production source file over ${MAX_FILE_LINES} lines`, () => {
    const tooLong = files
      .map((f) => ({ f, lines: lineCount(readFileSync(path.join(root, f), 'utf8')) }))
      .filter(({ lines }) => lines > MAX_FILE_LINES)
      .map(({ f, lines }) => `${f} is ${lines} lines`);
    expect(tooLong).toEqual([]);
  });

  it(`has no function over ${MAX_FUNCTION_LINES} lines in production sources`, () => {
    const tooLong = files.flatMap((f) => longFunctions(f, readFileSync(path.join(root, f), 'utf8')));
    expect(tooLong).toEqual([]);
  });
});
