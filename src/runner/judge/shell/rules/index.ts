// The rules of the shell judge, as data: command name → the rule that judges it, one family of
// rules a file. A command no rule names is not destructive.
import type { Rule } from '../rule.js'
import { CLOUDS } from './clouds.js'
import { CONTAINERS } from './containers.js'
import { DATABASES } from './databases.js'
import { FILES, mkfs } from './files.js'
import { GIT } from './git.js'
import { NETWORK } from './network.js'
import { PACKAGES } from './packages.js'
import { initScript, SERVICES } from './services.js'
import { USERS } from './users.js'
import { WRAPPERS } from './wrappers.js'

export const RULES: Readonly<Record<string, Rule>> = {
  ...WRAPPERS,
  ...FILES,
  ...SERVICES,
  ...CONTAINERS,
  ...NETWORK,
  ...USERS,
  ...GIT,
  ...DATABASES,
  ...CLOUDS,
  ...PACKAGES,
}

/** The rule for a command (its basename and the path it was called by), if any. */
export function ruleFor(name: string, path: string): Rule | undefined {
  // An init script is judged as one whatever its name (/etc/init.d/nginx is not nginx).
  if (path.startsWith('/etc/init.d/')) return initScript
  if (Object.hasOwn(RULES, name)) return RULES[name]
  return /^mkfs(\..+)?$|^mke2fs$|^mkswap$/.test(name) ? mkfs : undefined
}
