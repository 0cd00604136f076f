// The part of Go's text/template that `docker … --format` uses, with docker's strictness: a
// field path through a key the object lacks fails the whole template ("map has no entry for key"),
// as docker inspect does for `{{.State.Health.Status}}` on a container without a HEALTHCHECK,
// while `{{if .State.Health}}…{{else}}…{{end}}` is the guarded form that works. Supported actions:
// `{{.A.B}}`, `{{json .A}}`, `{{if .A}}…{{else}}…{{end}}` (nested), `{{.}}`.

export class TemplateError extends Error {}

type Node = { text: string } | { path: string; json: boolean; col: number } | { cond: string; then: Node[]; else: Node[] }

const ACTION = /\{\{-?\s*(.*?)\s*-?\}\}/gs

function parse(template: string): Node[] {
  const root: Node[] = []
  const stack: { nodes: Node[]; node?: { cond: string; then: Node[]; else: Node[] } }[] = [{ nodes: root }]
  let last = 0
  for (const m of template.matchAll(ACTION)) {
    const top = stack.at(-1)!
    if (m.index! > last) top.nodes.push({ text: template.slice(last, m.index) })
    last = m.index! + m[0].length
    const body = m[1]!
    const col = m.index! + 3
    if (/^if\s+/.test(body)) {
      const node = { cond: body.replace(/^if\s+/, ''), then: [] as Node[], else: [] as Node[] }
      top.nodes.push(node)
      stack.push({ nodes: node.then, node })
    } else if (body === 'else') {
      if (!top.node) throw new TemplateError(`template: :1:${col}: unexpected {{else}}`)
      top.nodes = top.node.else
    } else if (body === 'end') {
      if (stack.length === 1) throw new TemplateError(`template: :1:${col}: unexpected {{end}}`)
      stack.pop()
    } else {
      const json = /^json\s+/.test(body)
      const path = body.replace(/^json\s+/, '')
      if (!/^\.[\w.]*$/.test(path)) throw new TemplateError(`template: :1:${col}: function "${path.split(/\s/)[0]}" not defined`)
      top.nodes.push({ path, json, col })
    }
  }
  if (stack.length > 1) throw new TemplateError('template: :1: unexpected EOF')
  if (last < template.length) root.push({ text: template.slice(last) })
  return root
}

/** The value at `.A.B`; `strict`: a missing key is an error (else it is undefined). */
function lookup(obj: unknown, path: string, strict: boolean, col: number): unknown {
  let v = obj
  for (const k of path.split('.').filter(Boolean)) {
    if (v && typeof v === 'object' && Object.hasOwn(v, k)) v = (v as Record<string, unknown>)[k]
    else if (!strict) return undefined
    else throw new TemplateError(`template: :1:${col}: executing "" at <${path}>: map has no entry for key "${k}"`)
  }
  return v
}

const truthy = (v: unknown) => !(v === undefined || v === null || v === false || v === 0 || v === '' || (Array.isArray(v) && v.length === 0) || (typeof v === 'object' && v !== null && Object.keys(v).length === 0))

function render(nodes: Node[], obj: unknown): string {
  let out = ''
  for (const n of nodes) {
    if ('text' in n) out += n.text
    else if ('cond' in n) out += render(truthy(lookup(obj, n.cond, false, 0)) ? n.then : n.else, obj)
    else {
      const v = lookup(obj, n.path, true, n.col)
      out += n.json ? JSON.stringify(v) : v === null ? '<nil>' : typeof v === 'object' ? goPrint(v) : String(v)
    }
  }
  return out
}

/** How Go prints a map or slice without json: `map[K:V …]`, `[a b]`. */
function goPrint(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(goPrint).join(' ')}]`
  if (v && typeof v === 'object') return `map[${Object.entries(v).sort(([a], [b]) => a.localeCompare(b)).map(([k, x]) => `${k}:${goPrint(x)}`).join(' ')}]`
  return v === null ? '<nil>' : String(v)
}

/** Renders the template against the object; throws TemplateError as docker fails on it. */
export function goTemplate(template: string, obj: Record<string, unknown>): string {
  return render(parse(template), obj)
}
