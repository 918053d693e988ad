import { TemplateNode } from './templateSyntax';

/** A variable a template reads: `steps['x'].output.y` is root steps, path [x, output, y]. */
export type Reference = {
  root: string;
  /** Literal keys and indexes; '*' where the key is computed (and the path ends). */
  path: Array<string | number>;
  /** `root(...)`: a global function call. */
  call?: boolean;
  node: TemplateNode;
};

/** A filter a template applies, where it is applied. */
export type FilterUse = { name: string; node: TemplateNode };

// Names nunjucks templates use as constants rather than variables.
const CONSTANTS = new Set(['True', 'False', 'None', 'undefined']);

function isNode(value: unknown): value is TemplateNode {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { type?: unknown }).type === 'string'
  );
}

function children(node: TemplateNode): TemplateNode[] {
  const out: TemplateNode[] = [];
  for (const [key, value] of Object.entries(node)) {
    if (key === 'type' || key === 'line' || key === 'column') continue;
    if (Array.isArray(value)) out.push(...value.filter(isNode));
    else if (isNode(value)) out.push(value);
  }
  return out;
}

/** Names a template binds itself: loop variables, {% set %}, macro arguments. */
function boundNames(root: TemplateNode): Set<string> {
  const bound = new Set<string>();
  const bind = (target: unknown) => {
    if (!isNode(target)) return;
    if (target.type === 'Symbol') bound.add(String(target.value));
    else children(target).forEach(bind);
  };
  const visit = (node: TemplateNode) => {
    if (node.type === 'For') {
      bind(node.name);
      bound.add('loop');
    } else if (node.type === 'Set') {
      (node.targets as unknown[]).forEach(bind);
    } else if (node.type === 'Macro') {
      bind(node.name);
      bind(node.args);
    }
    children(node).forEach(visit);
  };
  visit(root);
  return bound;
}

/** The variables and filters a parsed template uses. */
export function templateUses(root: TemplateNode): {
  references: Reference[];
  filters: FilterUse[];
} {
  const bound = boundNames(root);
  const references: Reference[] = [];
  const filters: FilterUse[] = [];

  // `a.b['c'][0]`: the symbol at the bottom of a lookup chain and its keys.
  function lookup(node: TemplateNode, top: TemplateNode) {
    const path: Array<string | number> = [];
    let target: TemplateNode = node;
    while (target.type === 'LookupVal') {
      const val = target.val as TemplateNode;
      if (
        val.type === 'Literal' &&
        (typeof val.value === 'string' || typeof val.value === 'number')
      ) {
        path.unshift(val.value);
      } else {
        path.splice(0, path.length, '*');
        visit(val);
      }
      target = target.target as TemplateNode;
    }
    if (target.type === 'Symbol') {
      const name = String(target.value);
      if (!bound.has(name) && !CONSTANTS.has(name)) {
        const cut = path.indexOf('*');
        references.push({
          root: name,
          path: cut === -1 ? path : path.slice(0, cut + 1),
          node: top,
        });
      }
    } else {
      visit(target);
    }
  }

  function visit(node: TemplateNode): void {
    switch (node.type) {
      case 'Symbol':
      case 'LookupVal':
        lookup(node, node);
        return;
      case 'FunCall': {
        const name = node.name as TemplateNode;
        if (name.type === 'Symbol') {
          const fn = String(name.value);
          if (!bound.has(fn)) {
            references.push({ root: fn, path: [], call: true, node });
          }
        } else {
          visit(name);
        }
        visit(node.args as TemplateNode);
        return;
      }
      case 'Filter':
        filters.push({ name: String((node.name as TemplateNode).value), node });
        visit(node.args as TemplateNode);
        return;
      case 'Is': {
        // The right side names a test (`is defined`, `is divisibleby(3)`).
        visit(node.left as TemplateNode);
        const test = node.right as TemplateNode;
        if (test.type === 'FunCall') visit(test.args as TemplateNode);
        return;
      }
      case 'Pair':
        // Keyword argument names and `{ key: value }` keys are not variables.
        if ((node.key as TemplateNode).type !== 'Symbol') {
          visit(node.key as TemplateNode);
        }
        visit(node.value as TemplateNode);
        return;
      case 'Literal':
        return;
      default:
        children(node).forEach(visit);
    }
  }
  visit(root);
  return { references, filters };
}
