export const ko = {}
export const en: typeof ko = {}
