// The Ruby tools of the app on the simulated host: bundle (install, outdated, audit, exec),
// bundler-audit, brakeman and rails/rake. The sandbox has no Rails: `rails runner` checks the
// sandbox database connection instead, the rest prints what the real tools print.
import { readdirSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { did, err, lsDate, notSimulated, out, sandboxEnv, simulated, TOOL_EXIT, type ShimContext } from './context.js'

export function bundlerAudit(ctx: ShimContext, args: string[]): number {
  if (args.includes('--update') || args.includes('update'))
    out(ctx, 'Updating ruby-advisory-db ...\nUpdated ruby-advisory-db\nruby-advisory-db:\n  advisories:\t1002 advisories\n  last updated:\t' + ctx.now().toISOString().slice(0, 10))
  out(ctx, 'No vulnerabilities found')
  simulated(ctx, "simulated bundler-audit over the sandbox app's Gemfile.lock")
  return TOOL_EXIT.ok
}

const BRAKEMAN_CHECKS =
  'BasicAuth, CSRFTokenForgeryCVE, ContentTag, CookieSerialization, CreateWith, CrossSiteScripting, DefaultRoutes, Deserialize, DetailedExceptions, DigestDoS, DynamicFinders, EOLRails, EOLRuby, EscapeFunction, Evaluation, Execute, FileAccess, FileDisclosure, ForgerySetting, HeaderDoS, I18nXSS, JRubyXML, JSONEncoding, JSONEntityEscape, JSONParsing, LinkTo, LinkToHref, MailTo, MassAssignment, MimeTypeDoS, ModelAttrAccessible, ModelAttributes, ModelSerialize, NestedAttributes, NestedAttributesBypass, NumberToCurrency, PageCachingCVE, Pathname, PermitAttributes, QuoteTableName, Ransack, Redirect, RegexDoS, Render, RenderDoS, RenderInline, ResponseSplitting, RouteDoS, SQL, SQLCVEs, SSLVerify, SafeBufferManipulation, SanitizeConfigCve, SanitizeMethods, SelectTag, SelectVulnerability, Send, SendFile, SessionManipulation, SessionSettings, SimpleFormat, SingleQuotes, SkipBeforeFilter, SprocketsPathTraversal, StripTags, SymbolDoSCVE, TemplateInjection, TranslateBug, UnsafeReflection, UnsafeReflectionMethods, ValidationRegex, VerbConfusion, WeakRSAKey, WithoutProtection, XMLDoS, YAMLParsing'

export function brakeman(ctx: ShimContext): number {
  const now = ctx.now()
  out(
    ctx,
    `== Brakeman Report ==

Application Path: /home/deploy/excelapp-rails
Rails Version: 8.0.1
Brakeman Version: 6.2.2
Scan Date: ${lsDate(now)} ${now.toTimeString().slice(9, 14)}
Duration: 4.21 seconds
Checks Run: ${BRAKEMAN_CHECKS}

== Overview ==

Controllers: 24
Models: 18
Templates: 61
Errors: 0
Security Warnings: 0

== Warning Types ==


No warnings found
`,
  )
  simulated(ctx, 'simulated brakeman scan of the sandbox app')
  return TOOL_EXIT.ok
}

/** Whether the sandbox database answers (what `rails runner` can honestly check). */
async function databaseProblem(url: string | undefined): Promise<string> {
  if (!url) return 'DATABASE_URL is not set'
  const { default: pg } = await import('pg')
  const c = new pg.Client({ connectionString: url, connectionTimeoutMillis: 4000 })
  try {
    await c.connect()
    await c.query('SELECT 1')
    return ''
  } catch (e) {
    return (e as Error).message || String(e)
  } finally {
    await c.end().catch(() => undefined)
  }
}

async function runner(ctx: ShimContext, rest: string[]): Promise<number> {
  const code = rest.join(' ')
  const problem = await databaseProblem(sandboxEnv(ctx, 'DATABASE_URL'))
  simulated(ctx, `rails runner: the sandbox has no Rails; it checked the database connection instead${problem ? ` (${problem})` : ''}`)
  if (/connection\.active\?/.test(code) || /'OK'/.test(code)) {
    out(ctx, problem ? 'FAIL' : 'OK')
    return TOOL_EXIT.ok
  }
  if (problem) {
    err(ctx, `ActiveRecord::ConnectionNotEstablished: ${problem}`)
    return TOOL_EXIT.failed
  }
  return TOOL_EXIT.ok
}

const SIMULATED_TASKS = ['assets:precompile', 'assets:clean', 'db:migrate', 'tmp:clear', 'cache:clear']

export async function rails(ctx: ShimContext, args: string[]): Promise<number> {
  const [verb, ...rest] = args
  if (verb === '-v' || verb === '--version' || verb === 'version') {
    out(ctx, 'Rails 8.0.1')
    return TOOL_EXIT.ok
  }
  if (verb === 'runner' || verb === 'r') return runner(ctx, rest)
  if (verb === 'db:migrate:status') {
    out(ctx, '\ndatabase: excelapp_rails_production\n\n Status   Migration ID    Migration Name\n--------------------------------------------------\n   up     20250719100000  Add ai usage records indexes')
    simulated(ctx, 'simulated migration status')
    return TOOL_EXIT.ok
  }
  if (verb === 'log:clear') {
    const dir = path.join(ctx.root, 'log')
    for (const f of readdirSync(dir).filter((f) => f.endsWith('.log'))) writeFileSync(path.join(dir, f), '')
    did(ctx, 'truncated the sandbox logs (log:clear)')
    return TOOL_EXIT.ok
  }
  if (verb !== undefined && SIMULATED_TASKS.includes(verb)) {
    did(ctx, `rails ${verb} (simulated)`)
    return TOOL_EXIT.ok
  }
  return notSimulated(ctx, `rails ${verb ?? ''}`.trim())
}

export async function bundle(ctx: ShimContext, args: string[]): Promise<number> {
  const [verb, ...rest] = args
  switch (verb) {
    case 'audit':
      return bundlerAudit(ctx, rest)
    case 'install':
      out(ctx, 'Fetching gem metadata from https://rubygems.org/.........\nBundle complete! 74 Gemfile dependencies, 168 gems now installed.\nBundled gems are installed into `./vendor/bundle`')
      did(ctx, 'bundle install (simulated)')
      return TOOL_EXIT.ok
    case 'outdated':
      out(ctx, 'Gem        Current  Latest  Requested  Groups\nnokogiri   1.16.7   1.18.1             default\nrack       3.1.8    3.1.10             default')
      simulated(ctx, 'simulated bundle outdated')
      return TOOL_EXIT.ok
    case 'exec': {
      const [tool, ...toolArgs] = rest
      if (tool === 'brakeman') return brakeman(ctx)
      if (tool === 'bundler-audit' || tool === 'bundle-audit') return bundlerAudit(ctx, toolArgs)
      if (tool === 'rails' || tool === 'rake') return rails(ctx, toolArgs)
      return notSimulated(ctx, `bundle exec ${tool ?? ''}`.trim())
    }
    case '-v':
    case '--version':
    case 'version':
      out(ctx, 'Bundler version 2.5.22')
      return TOOL_EXIT.ok
    default:
      return notSimulated(ctx, `bundle ${verb ?? ''}`.trim())
  }
}
