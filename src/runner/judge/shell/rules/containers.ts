// Rules for containers and clusters: docker (and podman, nerdctl, compose), kubectl, helm. A
// command run inside a container (exec) is judged in turn.
import { parseOptions } from '../options.js'
import { says, verbFlag, type H, type Rule, type ShellPhrase } from '../rule.js'
import { show, type Word } from '../words.js'

/** What a top-level docker verb does. */
const DOCKER_VERBS: Record<string, ShellPhrase> = {
  restart: 'restartsContainer',
  stop: 'stopsContainer',
  start: 'startsContainer',
  kill: 'killsContainer',
  rm: 'removesContainer',
  rmi: 'removesImage',
  pause: 'pausesContainer',
  unpause: 'unpausesContainer',
  update: 'changesContainer',
  rename: 'renamesContainer',
  cp: 'copiesContainerFiles',
  load: 'loadsImages',
  import: 'importsImage',
}

/** `docker GROUP VERB`: the verbs of each object group that change something. */
const DOCKER_GROUP_VERBS: Record<string, Set<string>> = {
  container: new Set(['rm', 'stop', 'restart', 'kill', 'start', 'pause', 'unpause', 'update', 'rename', 'prune', 'cp']),
  image: new Set(['rm', 'prune', 'load', 'import']),
  volume: new Set(['rm', 'prune', 'create']),
  network: new Set(['rm', 'prune', 'connect', 'disconnect', 'create']),
  system: new Set(['prune']),
  builder: new Set(['prune']),
  buildx: new Set(['prune', 'rm']),
  service: new Set(['rm', 'scale', 'update', 'rollback', 'create']),
  stack: new Set(['rm', 'deploy']),
  swarm: new Set(['init', 'join', 'leave', 'update']),
  node: new Set(['rm', 'update', 'promote', 'demote']),
  secret: new Set(['rm', 'create']),
  config: new Set(['rm', 'create']),
  plugin: new Set(['rm', 'disable', 'enable', 'install', 'upgrade']),
  context: new Set(['rm']),
}

const COMPOSE_VERBS = new Set(['down', 'stop', 'restart', 'rm', 'kill', 'up', 'start', 'pause', 'unpause', 'create', 'scale', 'pull', 'push', 'cp'])

const docker: Rule = async (h) => {
  const p = parseOptions(h.args, { short: 'Hlc', long: ['host', 'context', 'config', 'log-level', 'tlscacert', 'tlscert', 'tlskey'], stopAtPositional: true })
  const [verb, ...rest] = p.positionals
  if (!verb?.literal) return
  const tool = h.name
  if (h.name === 'docker-compose') return compose(h, tool, p.positionals)
  const v = verb.value
  if (v === 'compose') return compose(h, `${tool} compose`, rest)
  if (v === 'exec') return containerExec(h, `${tool} exec`, rest)
  if (v === 'prune') return h.says(`${tool} prune`, 'deletesUnused')
  const phrase = DOCKER_VERBS[v]
  if (phrase) {
    const target = parseOptions(rest, { short: 'st', long: ['signal', 'time', 'timeout'] }).positionals[0]
    return h.says(`${tool} ${v}${target ? ` ${show(target.value)}` : ''}`, phrase)
  }
  const group = DOCKER_GROUP_VERBS[v]
  const sub = parseOptions(rest, { stopAtPositional: true }).positionals[0]
  if (group && sub?.literal) {
    if (v === 'container' && sub.value === 'exec') return containerExec(h, `${tool} container exec`, rest.slice(1))
    if (!group.has(sub.value)) return
    if (sub.value === 'prune') h.says(`${tool} ${v} prune`, 'deletesUnused')
    else h.flag(says().changesDockerObjects(`${tool} ${v} ${sub.value}`, v))
  }
}

async function compose(h: H, tool: string, args: Word[]): Promise<void> {
  const p = parseOptions(args, { short: 'fp', long: ['file', 'project-name', 'project-directory', 'profile', 'env-file', 'ansi', 'parallel', 'progress'], stopAtPositional: true })
  const [verb, ...rest] = p.positionals
  if (!verb?.literal) return
  if (verb.value === 'exec') return containerExec(h, `${tool} exec`, rest)
  if (COMPOSE_VERBS.has(verb.value)) h.says(`${tool} ${verb.value}`, 'changesContainers')
}

/** `… exec [options] CONTAINER COMMAND…`: the command is judged as run in the container. */
async function containerExec(h: H, label: string, args: Word[]): Promise<void> {
  const p = parseOptions(args, { short: 'euwc', long: ['env', 'env-file', 'user', 'workdir', 'detach-keys', 'index', 'container'], stopAtPositional: true })
  const [target, ...command] = p.positionals
  if (!target || command.length === 0) return
  await h.run(command, {}, `${h.ctx.prefix}${label} ${show(target.value)}: `)
}

const KUBECTL_READ = new Set(['get', 'describe', 'logs', 'top', 'explain', 'version', 'cluster-info', 'api-resources', 'api-versions', 'config', 'auth', 'diff', 'events', 'port-forward', 'proxy', 'wait', 'completion', 'plugin', 'kustomize', 'help', 'options'])

/** What a kubectl verb does; others change the cluster. */
const KUBECTL_VERBS: Record<string, ShellPhrase> = {
  delete: 'deletesClusterResources',
  scale: 'changesReplicas',
  drain: 'drainsNode',
  cordon: 'cordonsNode',
  uncordon: 'uncordonsNode',
  apply: 'changesClusterResources',
  edit: 'changesClusterResources',
  patch: 'changesClusterResources',
}

const kubectl: Rule = async (h) => {
  const p = parseOptions(h.args, { short: 'ns', long: ['namespace', 'context', 'cluster', 'kubeconfig', 'server', 'user', 'token', 'as', 'as-group', 'request-timeout', 'cache-dir', 'certificate-authority', 'client-certificate', 'client-key'], stopAtPositional: true })
  const [verb, ...rest] = p.positionals
  if (!verb?.literal || KUBECTL_READ.has(verb.value)) return
  if (h.args.some((a) => /^--dry-run(=(client|server))?$/.test(a.value))) return
  if (verb.value === 'exec') {
    const dash = rest.findIndex((w) => w.value === '--')
    const pod = parseOptions(rest.slice(0, dash === -1 ? undefined : dash), { short: 'cn', long: ['container', 'namespace'] }).positionals[0]
    if (dash !== -1) await h.run(rest.slice(dash + 1), {}, `${h.ctx.prefix}kubectl exec ${pod ? show(pod.value) : ''}: `)
    return
  }
  if (verb.value === 'rollout') {
    const sub = rest[0]
    if (sub?.literal && ['status', 'history'].includes(sub.value)) return
    return h.says(`kubectl rollout ${sub ? show(sub.value) : ''}`, 'changesDeployment')
  }
  h.says(`kubectl ${verb.value}`, KUBECTL_VERBS[verb.value] ?? 'changesCluster')
}

const helm = verbFlag('helm', new Set(['list', 'ls', 'status', 'get', 'history', 'show', 'inspect', 'search', 'template', 'lint', 'version', 'help', 'env', 'repo', 'dependency', 'verify', 'completion']), 'changesRelease', { short: 'n', long: ['namespace', 'kube-context', 'kubeconfig'] })

export const CONTAINERS: Record<string, Rule> = {
  docker, podman: docker, 'docker-compose': docker, nerdctl: docker,
  kubectl, oc: kubectl, helm,
}
