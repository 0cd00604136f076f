// Step ids from headings, GitHub-style but keeping every Unicode letter and the combining marks
// some scripts need: `애플리케이션 상태 확인` becomes `애플리케이션-상태-확인`.
export function slugify(text: string): string {
  return text
    .normalize('NFC')
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}\s_-]/gu, '')
    .trim()
    .replace(/[\s_]+/g, '-')
    .replace(/-+/g, '-')
    .replace(/^-|-$/g, '')
}
