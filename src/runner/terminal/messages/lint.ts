// Messages of the interface: lint diagnostics.
// Each entry is a string or a function of its values; `en` has exactly `ko`'s keys (the type
// says so), so a text cannot exist in one language only.

export const ko = {}

export const en: typeof ko = {}
