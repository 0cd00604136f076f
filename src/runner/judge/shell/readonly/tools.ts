// Read-only uses of the operators' tools: docker and compose listings, git's reading verbs,
// HTTP GET/HEAD with curl and wget (output only where a read-only step may write), the cloud
// CLI's describe/list, package listings and audits, and the PostgreSQL tools that only read.
import { has, parseOptions } from '../options.js'
import type { H } from '../rule.js'
import type { Word } from '../words.js'
import { verbOf, without, type Reader } from './reader.js'
import { writable } from './writers.js'

const DOCKER_GLOBAL = { short: 'Hcl', long: ['host', 'context', 'config', 'log-level', 'tlscacert', 'tlscert', 'tlskey'] }
const DOCKER_READ = new Set(['ps', 'logs', 'inspect', 'stats', 'images', 'version', 'info', 'top', 'port', 'diff', 'events', 'history', 'search'])
const DOCKER_GROUP_READ: Record<string, string[]> = {
  container: ['ls', 'list', 'ps', 'inspect', 'logs', 'stats', 'top', 'port', 'diff'],
  image: ['ls', 'list', 'inspect', 'history'],
  network: ['ls', 'list', 'inspect'],
  volume: ['ls', 'list', 'inspect'],
  system: ['df', 'info', 'events'],
  context: ['ls', 'list', 'inspect', 'show'],
  compose: ['ps', 'logs', 'config', 'ls', 'top', 'images', 'version'],
  scout: ['cves', 'quickview', 'recommendations', 'version'],
}

const docker: Reader = (h) => {
  const { verb, rest } = verbOf(h, DOCKER_GLOBAL)
  if (!verb?.literal) return false
  if (h.name === 'docker-compose') return (DOCKER_GROUP_READ.compose ?? []).includes(verb.value)
  if (DOCKER_READ.has(verb.value)) return true
  const group = DOCKER_GROUP_READ[verb.value]
  if (!group) return false
  // docker compose -f x.yml ps, docker scout cves --output file (writes a file)
  const sub = parseOptions(rest, { short: 'fpo', long: ['file', 'project-name', 'profile', 'env-file', 'project-directory', 'output', 'format', 'only-severity', 'exit-code'], stopAtPositional: true })
  if (has(sub, 'o', 'output')) return false
  const v = sub.positionals[0]
  return !!v?.literal && group.includes(v.value)
}

const GIT_READ = new Set([
  'status', 'log', 'diff', 'show', 'rev-parse', 'describe', 'ls-files', 'ls-tree', 'ls-remote', 'cat-file', 'rev-list',
  'shortlog', 'blame', 'merge-base', 'name-rev', 'for-each-ref', 'show-ref', 'count-objects', 'whatchanged', 'version', 'grep',
])

const git: Reader = (h) => {
  // -c and --config-env set config for this call (core.pager, diff.external run programs).
  const { verb, rest, parsed } = verbOf(h, { short: 'Cc', long: ['git-dir', 'work-tree', 'namespace', 'config-env', 'exec-path'] })
  if (has(parsed, 'c', 'config-env', 'exec-path')) return false
  if (!verb?.literal) return false
  const opts = parseOptions(rest, { short: 'mFOo', long: ['message', 'file', 'output', 'sort', 'format', 'contains', 'points-at', 'merged', 'no-merged', 'color', 'date'] })
  if (has(opts, 'output', 'ext-diff', 'O', 'open-files-in-pager', 'textconv')) return false
  if (GIT_READ.has(verb.value)) return true
  const only = (...keys: string[]) => [...opts.opts.keys()].every((k) => keys.includes(k))
  switch (verb.value) {
    case 'tag':
      return (has(opts, 'l', 'list') || opts.positionals.length === 0) && only('l', 'list', 'n', 'sort', 'contains', 'points-at', 'merged', 'no-merged', 'format', 'color', 'i', 'ignore-case')
    case 'branch':
      return (has(opts, 'l', 'list', 'show-current') || opts.positionals.length === 0) && only('l', 'list', 'a', 'all', 'r', 'remotes', 'v', 'vv', 'verbose', 'show-current', 'sort', 'contains', 'merged', 'no-merged', 'format', 'color', 'points-at')
    case 'remote':
      return opts.positionals.length === 0 || (opts.positionals[0]?.literal === true && ['show', 'get-url'].includes(opts.positionals[0].value))
    case 'stash':
      return opts.positionals[0]?.literal === true && ['list', 'show'].includes(opts.positionals[0].value)
    case 'config':
      return has(opts, 'get', 'get-all', 'get-regexp', 'l', 'list') && only('get', 'get-all', 'get-regexp', 'l', 'list', 'global', 'system', 'local', 'show-origin', 'name-only', 'z', 'null')
    case 'clean':
      return has(opts, 'n', 'dry-run') && only('n', 'dry-run', 'd', 'x', 'X', 'q', 'quiet', 'e', 'exclude')
    case 'reflog':
      return opts.positionals.length === 0 || (opts.positionals[0]?.literal === true && opts.positionals[0].value === 'show')
    default:
      return false
  }
}

/** A URL a read-only request may go to: http(s), or an expansion (a URL from the env). */
const httpUrl = (w: Word): boolean => !w.literal || /^https?:\/\//i.test(w.value) || !w.value.includes('://')

/** Options of curl that write a file: their value must be an allowed target. */
const CURL_WRITES_LONG = new Set(['output', 'dump-header', 'cookie-jar', 'trace', 'trace-ascii', 'libcurl', 'etag-save', 'hsts', 'alt-svc', 'stderr', 'output-dir'])
const CURL_WRITES_SHORT = 'oDc'
const CURL_REFUSED_SHORT = 'dFTKOJQ' // bodies, uploads, config files, remote names, FTP quote commands
const CURL_VALUE_SHORT = 'XHuAbeEmrUwxyYzCtPhoDcdFTKQ'
const CURL_VALUE_LONG = new Set(['request', 'header', 'user', 'user-agent', 'referer', 'connect-timeout', 'max-time', 'retry', 'retry-delay', 'retry-max-time', 'write-out', 'proxy', 'resolve', 'cacert', 'cert', 'key', 'url', 'unix-socket', 'max-redirs', 'interface', 'limit-rate', 'range', 'cookie', 'oauth2-bearer', 'variable', 'expand-url', ...CURL_WRITES_LONG])

/** curl: GET or HEAD only, no body, no upload, output only to an allowed target. */
function curlReads(h: H): boolean {
  const args = h.args
  const method = (m: Word | undefined) => !!m?.literal && /^(GET|HEAD)$/i.test(m.value)
  for (let i = 0; i < args.length; i++) {
    const w = args[i]!
    if (w.braces) return false
    if (!w.literal || !w.value.startsWith('-') || w.value === '-') {
      if (!httpUrl(w)) return false
      continue
    }
    if (w.value === '--') return args.slice(i + 1).every(httpUrl)
    if (w.value.startsWith('--')) {
      const eq = w.value.indexOf('=')
      const name = w.value.slice(2, eq === -1 ? undefined : eq)
      if (/^(data|json|form|upload|post|config|remote-name|remote-header-name|quote|ftp-|proto-default|next|request-target|mail-|upload-file)/.test(name)) return false
      if (!CURL_VALUE_LONG.has(name)) continue
      const value = eq === -1 ? args[++i] : { value: w.value.slice(eq + 1), literal: true }
      if (name === 'request' && !method(value)) return false
      if (name === 'url' && (!value || !httpUrl(value))) return false
      if (CURL_WRITES_LONG.has(name) && !(eq === -1 ? writable(h, value) : value?.value === '/dev/null')) return false
      continue
    }
    for (let j = 1; j < w.value.length; j++) {
      const c = w.value[j]!
      if (CURL_REFUSED_SHORT.includes(c)) return false
      if (!CURL_VALUE_SHORT.includes(c)) continue
      const inline = w.value.slice(j + 1)
      const value = inline ? { value: inline, literal: true } : args[++i]
      if (c === 'X' && !method(value)) return false
      if (CURL_WRITES_SHORT.includes(c) && !(inline ? inline === '/dev/null' : writable(h, value))) return false
      break
    }
  }
  return true
}

/** wget: --spider, or -O to stdout or an allowed target; never a body or a method that writes. */
const wget: Reader = (h) => {
  const p = parseOptions(h.args, { short: 'OoaTtU', long: ['output-document', 'output-file', 'append-output', 'timeout', 'tries', 'header', 'user-agent', 'method', 'waitretry', 'max-redirect'] })
  const allowed = ['q', 'quiet', 'nv', 'no-verbose', 'S', 'server-response', 'T', 'timeout', 't', 'tries', 'header', 'no-check-certificate', 'spider', 'O', 'output-document', 'user-agent', 'U', 'waitretry', 'max-redirect', 'https-only', 'method', 'n', 'v']
  for (const key of p.opts.keys()) if (!allowed.includes(key)) return false
  const m = p.opts.get('method')?.[0]
  if (m !== undefined && !/^(GET|HEAD)$/i.test(m ?? '')) return false
  if (!p.positionals.every(httpUrl)) return false
  if (has(p, 'spider')) return true
  // -O's value: '-' is stdout; a separate word must be an allowed target.
  let outputs = 0
  for (let i = 0; i < h.args.length; i++) {
    const w = h.args[i]!
    if (!w.literal) continue
    const inline = /^(?:-[a-zA-Z]*O|--output-document=)(.+)$/.exec(w.value)
    if (inline) {
      if (!['-', '/dev/null'].includes(inline[1]!)) return false
      outputs++
    } else if (/^-[a-zA-Z]*O$/.test(w.value) || w.value === '--output-document') {
      const target = h.args[++i]
      if (!target || !((target.literal && target.value === '-') || writable(h, target))) return false
      outputs++
    }
  }
  return outputs > 0
}

/** aws: s3 ls, and describe-*, list-*, get-* (not the get-* calls that write an output file). */
const aws: Reader = (h) => {
  const { verb, rest } = verbOf(h, { long: ['region', 'profile', 'output', 'endpoint-url', 'query', 'cli-read-timeout', 'cli-connect-timeout', 'ca-bundle', 'color'] })
  if (!verb?.literal) return false
  const op = parseOptions(rest, { stopAtPositional: true }).positionals[0]
  if (!op?.literal) return false
  if (verb.value === 's3') return op.value === 'ls'
  // The get-* calls that take an output file (s3api get-object x OUT, glacier get-job-output …).
  if (/^get-(object|job-output|media|snapshot-block)/.test(op.value)) return false
  return /^(describe-|list-|get-)/.test(op.value)
}

/** pg_restore listing a dump (pg_dump and pg_dumpall: readonly/writers.ts). */
const pgRestore: Reader = (h) => {
  const p = without(h, ['f', 'file', 'd', 'dbname'], { short: 'fdLIPnNtT', long: ['file', 'dbname'] })
  return !!p && has(p, 'l', 'list')
}

/** bundle: outdated, audit (no --update), list, exec of a read-only tool. */
const bundle: Reader = (h) => {
  const { verb, rest } = verbOf(h)
  if (!verb?.literal) return false
  const opts = parseOptions(rest, { short: 'o', long: ['output'] })
  if (['outdated', 'list', 'version', '--version', '-v'].includes(verb.value)) return true
  if (verb.value === 'audit') return !has(opts, 'update')
  if (verb.value !== 'exec') return false
  const [tool, sub] = parseOptions(rest, { stopAtPositional: true }).positionals
  if (!tool?.literal) return false
  if (tool.value === 'brakeman') return !has(opts, 'o', 'output')
  if (tool.value === 'bundler-audit' || tool.value === 'bundle-audit') return !has(opts, 'update')
  if (tool.value === 'rails') return !!sub?.literal && ['-v', '--version', 'about', 'routes', 'stats', 'notes'].includes(sub.value)
  return false
}

/** npm: audit (without fix), ls, outdated, view. */
const npm: Reader = (h) => {
  const { verb, rest } = verbOf(h)
  if (!verb?.literal) return false
  if (['ls', 'list', 'outdated', 'view', 'info', 'show', '-v', '--version', 'version'].includes(verb.value)) return verb.value !== 'version' || rest.length === 0
  if (verb.value === 'audit') return !rest.some((w) => w.value === 'fix' || w.value === 'signatures')
  return false
}

/** apt list / apt-cache: package listings; apt-get only with -s (a simulation). */
const apt: Reader = (h) => {
  const { verb } = verbOf(h, { short: 'ot', long: ['option', 'target-release'] })
  if (has(parseOptions(h.args, { short: 'ot', long: ['option', 'target-release'] }), 's', 'simulate', 'dry-run', 'just-print', 'no-act', 'recon')) return h.name === 'apt-get'
  return !!verb?.literal && ['list', 'show', 'search', 'policy', 'depends', 'rdepends', 'madison', 'showpkg', 'changelog'].includes(verb.value)
}

const dpkg: Reader = (h) => {
  const p = parseOptions(h.args, {})
  return [...p.opts.keys()].every((k) => ['l', 'L', 's', 'S', 'p', 'list', 'listfiles', 'status', 'search', 'print-avail', 'get-selections', 'print-architecture'].includes(k)) && p.opts.size > 0
}

const KUBECTL_READ = new Set(['get', 'describe', 'logs', 'top', 'explain', 'version', 'cluster-info', 'api-resources', 'api-versions'])
const kubectl: Reader = (h) => {
  const { verb } = verbOf(h, { short: 'nsc', long: ['namespace', 'context', 'cluster', 'kubeconfig', 'server', 'user'] })
  return !!verb?.literal && KUBECTL_READ.has(verb.value)
}

export const TOOL_READERS: Record<string, Reader> = {
  docker, podman: docker, 'docker-compose': docker, git, curl: curlReads, wget, aws, bundle, npm, kubectl,
  apt, 'apt-get': apt, 'apt-cache': apt, dpkg,
  pg_restore: pgRestore,
  pg_isready: () => true, pg_config: () => true, pg_controldata: () => true,
}
