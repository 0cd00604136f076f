// Rules for cloud tools: aws, gsutil, rclone, s3cmd — deleting objects and changing resources.
import { parseOptions } from '../options.js'
import { verbFlag, type Rule } from '../rule.js'

const AWS_READ = /^(describe|list|get|head|lookup|search|validate|estimate|simulate|check|filter|query|scan|tail|wait|help|batch-get|preview|test|decode|verify|generate|detect|export-|view)/
const AWS_S3 = new Set(['rm', 'mv', 'rb', 'website'])

const aws: Rule = (h) => {
  const p = parseOptions(h.args, { long: ['profile', 'region', 'output', 'endpoint-url', 'query', 'color', 'ca-bundle', 'cli-read-timeout', 'cli-connect-timeout', 'cli-binary-format'], stopAtPositional: true })
  const [service, op] = p.positionals
  if (!service?.literal || !op?.literal) return
  if (service.value === 's3') {
    if (AWS_S3.has(op.value)) h.says(`aws s3 ${op.value}`, op.value === 'website' ? 'changesBucket' : 'deletesObjects')
    else if (op.value === 'sync' && h.args.some((a) => a.value === '--delete')) h.says('aws s3 sync --delete', 'deletesObjects')
    return
  }
  if (service.value === 'configure') {
    if (op.value === 'set' || op.value === 'import') h.says(`aws configure ${op.value}`, 'changesCliConfig')
    return
  }
  if (h.args.some((a) => a.value === '--dry-run')) return
  if (!AWS_READ.test(op.value)) h.says(`aws ${service.value} ${op.value}`, 'changesCloud')
}

const gsutil: Rule = (h) => {
  const p = parseOptions(h.args, { short: 'ohu', stopAtPositional: true })
  const [verb, ...rest] = p.positionals.map((w) => w.value)
  if (verb === 'rm' || verb === 'mv' || verb === 'rb') h.says(`gsutil ${verb}`, 'deletesObjects')
  else if (verb === 'rsync' && rest.some((a) => /^-[a-zA-Z]*d/.test(a))) h.says('gsutil rsync -d', 'deletesObjects')
}

const rclone = verbFlag('rclone', new Set(['ls', 'lsd', 'lsl', 'lsf', 'lsjson', 'copy', 'copyto', 'check', 'cat', 'size', 'version', 'config', 'listremotes', 'about', 'tree', 'md5sum', 'sha1sum', 'hashsum', 'help']), 'deletesOrMovesFiles')

const s3cmd: Rule = (h) => {
  const verb = h.args.find((a) => a.literal && !a.value.startsWith('-'))?.value
  if (verb && ['del', 'rm', 'rb', 'mv'].includes(verb)) h.says(`s3cmd ${verb}`, 'deletesObjects')
  else if (verb === 'sync' && h.args.some((a) => a.value === '--delete-removed')) h.says('s3cmd sync --delete-removed', 'deletesObjects')
}

export const CLOUDS: Record<string, Rule> = { aws, gsutil, rclone, s3cmd }
