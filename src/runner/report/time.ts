// Report timestamps: local wall-clock time with its UTC offset, so a report read in another
// timezone still says exactly when (`2026-11-26T13:05:09+09:00`).

const pad = (n: number, width = 2) => String(Math.abs(n)).padStart(width, '0')

/** `2026-11-26T13:05:09+09:00`: local time, second precision, with the UTC offset. */
export function localIso(d: Date): string {
  const offset = -d.getTimezoneOffset()
  const sign = offset >= 0 ? '+' : '-'
  const abs = Math.abs(offset)
  const year = d.getFullYear()
  const y = year < 0 ? `-${pad(year, 6)}` : year > 9999 ? `+${pad(year, 6)}` : pad(year, 4)
  return (
    `${y}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}` +
    `T${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}` +
    `${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`
  )
}

/** `YYYY-MM-DD` of the local date: the report's folder. */
export function reportDate(d: Date): string {
  return `${pad(d.getFullYear(), 4)}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`
}

/** `HHMMSS` of the local time: part of the report's file name. */
export function reportClock(d: Date): string {
  return `${pad(d.getHours())}${pad(d.getMinutes())}${pad(d.getSeconds())}`
}
