// Small readers of acorn's JavaScript nodes shared by the TS judge: names, static strings, labels.
import { PLACEHOLDER } from '../shell.js'

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- acorn's ESTree nodes, walked by shape
export type AnyNode = any

/** A text for a reason: one line, at most `max` characters. */
export function display(text: string, max = 60): string {
  const flat = text.replace(/\s+/g, ' ').trim()
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat
}

/** The root identifier of `a.b(…).c`, `$({…})`, `$.sync`, `` $`…`.pipe ``. */
export function rootName(node: AnyNode): string | undefined {
  while (node) {
    if (node.type === 'Identifier') return node.name as string
    if (node.type === 'MemberExpression') node = node.object
    else if (node.type === 'CallExpression') node = node.callee
    else if (node.type === 'ChainExpression') node = node.expression
    else if (node.type === 'TaggedTemplateExpression') node = node.tag
    else return undefined
  }
  return undefined
}

/** `a.b` and `a['b']`: 'b'; a computed name that is not a literal: undefined. */
export function propertyName(member: AnyNode): string | undefined {
  if (member?.type !== 'MemberExpression') return undefined
  if (!member.computed && member.property.type === 'Identifier') return member.property.name as string
  if (member.property.type === 'Literal' && (typeof member.property.value === 'string' || typeof member.property.value === 'number')) return String(member.property.value)
  if (member.property.type === 'TemplateLiteral' && member.property.expressions.length === 0) return templateText(member.property, () => '')
  return undefined
}

/** A string known statically: literal, or template with expressions as PLACEHOLDER. */
export function staticString(node: AnyNode): string | null {
  if (!node) return null
  if (node.type === 'Literal' && (typeof node.value === 'string' || typeof node.value === 'number')) return String(node.value)
  if (node.type === 'TemplateLiteral') return templateText(node, () => PLACEHOLDER)
  return null
}

export function templateText(quasi: AnyNode, placeholder: (i: number) => string): string {
  const quasis = quasi.quasis as AnyNode[]
  return quasis.map((q, i) => (q.value.cooked ?? q.value.raw) + (i < quasis.length - 1 ? placeholder(i) : '')).join('')
}

/** The value of `key` in an object literal: the node, 'spread' when a spread may hold it, or undefined. */
export function objectProperty(object: AnyNode, key: string): AnyNode | 'spread' | undefined {
  let found: AnyNode | 'spread' | undefined
  for (const prop of object.properties as AnyNode[]) {
    if (prop.type === 'SpreadElement') found = 'spread'
    else if (prop.computed && prop.key.type !== 'Literal') found = 'spread'
    else if ((prop.key.name ?? String(prop.key.value)) === key) found = prop.value
  }
  return found
}

/** Keys of an object literal; null when a spread or a computed key hides some. */
export function objectKeys(object: AnyNode): string[] | null {
  const keys: string[] = []
  for (const prop of object.properties as AnyNode[]) {
    if (prop.type === 'SpreadElement' || (prop.computed && prop.key.type !== 'Literal')) return null
    keys.push(prop.key.name ?? String(prop.key.value))
  }
  return keys
}
