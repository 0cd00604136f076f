// System locations: a write there (a redirect, cp, tee, chmod…) is destructive.
import { PLACEHOLDER } from './words.js'

const SYSTEM_DIRS = ['/etc', '/usr', '/bin', '/sbin', '/lib', '/lib32', '/lib64', '/libx32', '/boot', '/proc', '/sys', '/var/lib', '/var/spool/cron', '/root']
const DEVICE_RE = /^\/dev\/(sd|hd|vd|xvd|nvme|mmcblk|md|dm-|loop|sr|mapper\/|disk\/|mem$|kmem$|port$)/

function normalisePath(p: string): string {
  let s = p.replace(/\/{2,}/g, '/').replace(/\/\.(?=\/|$)/g, '')
  if (s.length > 1) s = s.replace(/\/$/, '')
  return s
}

/** Whether a path (its literal part before any expansion) lies in a system location. */
export function isSystemPath(value: string): boolean {
  const cut = value.indexOf(PLACEHOLDER)
  const known = cut === -1 ? value : value.slice(0, cut)
  if (!known.startsWith('/')) return false
  if (cut === -1 && normalisePath(known) === '/') return true
  const p = normalisePath(known) + (cut !== -1 && known.endsWith('/') ? '/' : '')
  if (/^\/proc\/(self|\d+)\/fd\//.test(p + '/')) return false
  if (DEVICE_RE.test(p)) return true
  return SYSTEM_DIRS.some((d) => (cut === -1 ? p === d || p.startsWith(`${d}/`) : p.startsWith(`${d}/`)))
}
