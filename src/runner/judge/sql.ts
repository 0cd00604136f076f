// SQL destructive detection by PostgreSQL's own parser (sql/parser): a step is split into
// statements (sql/statements), each judged by its parse tree (sql/judge, with its data in
// sql/tables). Also splits a step into statements for the executor.
export { detectSql, sqlAutocommitOnly, sqlPreviewFacts, type LineReason } from './sql/judge.js'
export { splitSql, SqlSyntaxError } from './sql/statements.js'
