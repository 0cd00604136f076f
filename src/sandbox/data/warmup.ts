// Queries the app would run after the data is generated (index scans, pg_stat_statements entries).

/** Queries the app would run, so that the indexes it uses show scans and pg_stat_statements has entries. */
export const WARMUP_SQL = [
  `SELECT id, email FROM users WHERE email = 'user42@gmail.com'`,
  `SELECT count(*) FROM excel_files WHERE user_id = 42`,
  `SELECT id, filename, upload_status FROM excel_files WHERE user_id = 1234 ORDER BY created_at DESC LIMIT 20`,
  `SELECT count(*) FROM excel_files WHERE created_at > now() - interval '1 day'`,
  `SELECT count(*) FROM excel_files WHERE upload_status = 'processing'`,
  `SELECT * FROM ai_analyses WHERE excel_file_id = 777`,
  `SELECT count(*) FROM ai_analyses WHERE status = 'pending'`,
  `SELECT sum(cost_usd) FROM ai_usage_records WHERE user_id = 42 AND created_at > now() - interval '30 days'`,
  `SELECT * FROM chat_messages WHERE user_id = 42 ORDER BY id DESC LIMIT 50`,
  `SELECT * FROM chat_messages WHERE excel_file_id = 99`,
  `SELECT * FROM payments WHERE user_id = 42`,
  `SELECT count(*) FROM payments WHERE status = 'failed'`,
  `SELECT count(*) FROM solid_queue_jobs WHERE queue_name = 'ai_analysis' AND finished_at IS NULL`,
  `SELECT * FROM solid_queue_jobs WHERE active_job_id = 'x'`,
  `SELECT * FROM solid_queue_failed_executions WHERE job_id = 1`,
  `SELECT date_trunc('month', created_at) AS month, count(*), sum(prompt_tokens + completion_tokens) FROM ai_usage_records GROUP BY 1 ORDER BY 1`,
  `SELECT u.plan, count(DISTINCT f.id) FROM users u JOIN excel_files f ON f.user_id = u.id GROUP BY u.plan`,
]
