// Messages of the TS/JS judge. Placeholder; filled below.
export const ko = {}
export const en: typeof ko = {}
