// The sandbox database: the ExcelApp tables the operations guide mentions, filled with two years
// of generated rows in one transaction (generate_series, a fixed random seed), plus indexes of
// which some are never used, so the guide's clean-ups and index reviews have work to do.
import type { Redis } from 'ioredis'

/** Bumped when the schema or the generated data change: `up` regenerates an older database. */
export const DATA_VERSION = '1'

export interface DataScale {
  users: number
  excelFiles: number
  aiAnalyses: number
  aiUsageRecords: number
  chatMessages: number
  payments: number
  jobs: number
}

export const DEFAULT_SCALE: DataScale = {
  users: 12_000,
  excelFiles: 120_000,
  aiAnalyses: 150_000,
  aiUsageRecords: 400_000,
  chatMessages: 300_000,
  payments: 45_000,
  jobs: 100_000,
}

/** A scale for quick tests: $SANDBOX_DATA_SCALE (0 < x ≤ 1) multiplies every table. */
export function scaleFrom(env: Record<string, string | undefined>): DataScale {
  const f = Number(env.SANDBOX_DATA_SCALE ?? '1')
  if (!Number.isFinite(f) || f <= 0 || f >= 1) return DEFAULT_SCALE
  const s = (n: number) => Math.max(200, Math.round(n * f))
  return {
    users: s(DEFAULT_SCALE.users),
    excelFiles: s(DEFAULT_SCALE.excelFiles),
    aiAnalyses: s(DEFAULT_SCALE.aiAnalyses),
    aiUsageRecords: s(DEFAULT_SCALE.aiUsageRecords),
    chatMessages: s(DEFAULT_SCALE.chatMessages),
    payments: s(DEFAULT_SCALE.payments),
    jobs: s(DEFAULT_SCALE.jobs),
  }
}

export const TABLES = [
  'users',
  'excel_files',
  'ai_analyses',
  'ai_usage_records',
  'chat_messages',
  'payments',
  'solid_queue_jobs',
  'solid_queue_failed_executions',
] as const

export const SCHEMA_SQL = `
DROP VIEW IF EXISTS background_jobs;
DROP TABLE IF EXISTS solid_queue_failed_executions, solid_queue_jobs, payments, chat_messages, ai_usage_records,
  ai_analyses, excel_files, users, schema_migrations, ar_internal_metadata, sandbox_meta CASCADE;

CREATE TABLE schema_migrations (version varchar PRIMARY KEY);
CREATE TABLE ar_internal_metadata (key varchar PRIMARY KEY, value varchar, created_at timestamptz NOT NULL, updated_at timestamptz NOT NULL);
CREATE TABLE sandbox_meta (key text PRIMARY KEY, value text NOT NULL);

CREATE TABLE users (
  id bigserial PRIMARY KEY,
  email varchar NOT NULL,
  name varchar NOT NULL,
  plan varchar NOT NULL DEFAULT 'free',
  locale varchar NOT NULL DEFAULT 'ko',
  admin boolean NOT NULL DEFAULT false,
  last_sign_in_at timestamptz,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL
);

CREATE TABLE excel_files (
  id bigserial PRIMARY KEY,
  user_id bigint NOT NULL,
  filename varchar NOT NULL,
  content_type varchar NOT NULL,
  byte_size bigint NOT NULL,
  storage_key varchar NOT NULL,
  upload_status varchar NOT NULL,
  error_message text,
  sheet_count integer,
  row_count integer,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL
);

CREATE TABLE ai_analyses (
  id bigserial PRIMARY KEY,
  excel_file_id bigint NOT NULL,
  user_id bigint NOT NULL,
  analysis_type varchar NOT NULL,
  model varchar NOT NULL,
  status varchar NOT NULL,
  error_message text,
  tokens_used integer,
  duration_ms integer,
  completed_at timestamptz,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL
);

CREATE TABLE ai_usage_records (
  id bigserial PRIMARY KEY,
  user_id bigint NOT NULL,
  ai_analysis_id bigint,
  model varchar NOT NULL,
  prompt_tokens integer NOT NULL,
  completion_tokens integer NOT NULL,
  cost_usd numeric(10,6) NOT NULL,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL
);

CREATE TABLE chat_messages (
  id bigserial PRIMARY KEY,
  user_id bigint NOT NULL,
  excel_file_id bigint,
  role varchar NOT NULL,
  content text NOT NULL,
  tokens integer,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL
);

CREATE TABLE payments (
  id bigserial PRIMARY KEY,
  user_id bigint NOT NULL,
  amount integer NOT NULL,
  currency varchar NOT NULL DEFAULT 'KRW',
  plan varchar NOT NULL,
  status varchar NOT NULL,
  provider varchar NOT NULL DEFAULT 'toss',
  provider_payment_id varchar NOT NULL,
  failure_code varchar,
  failure_message text,
  paid_at timestamptz,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL
);

CREATE TABLE solid_queue_jobs (
  id bigserial PRIMARY KEY,
  queue_name varchar NOT NULL,
  class_name varchar NOT NULL,
  arguments text,
  priority integer NOT NULL DEFAULT 0,
  active_job_id varchar,
  scheduled_at timestamptz,
  finished_at timestamptz,
  concurrency_key varchar,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL
);

CREATE TABLE solid_queue_failed_executions (
  id bigserial PRIMARY KEY,
  job_id bigint NOT NULL,
  error text,
  created_at timestamptz NOT NULL
);
`

/** Rows spread over the last two years, more of them recent (the service grew). */
const AGE = (power: number) => `now() - (730 * power(random(), ${power})) * interval '1 day' - random() * interval '1 day'`

const pick = (values: string[]) => `(ARRAY[${values.map((v) => `'${v.replace(/'/g, "''")}'`).join(',')}])[1 + floor(random() * ${values.length})::int]`

export function generateSql(scale: DataScale = DEFAULT_SCALE): string {
  const s = scale
  return `
SELECT setseed(0.4242);

INSERT INTO schema_migrations (version) VALUES
  ('20240102093000'), ('20240215120000'), ('20240410081500'), ('20240702140000'), ('20241001100000'),
  ('20250113090000'), ('20250320110000'), ('20250601093000'), ('20250719100000');
INSERT INTO ar_internal_metadata VALUES ('environment', 'production', now(), now()), ('schema_sha1', 'f3b1c0de5a9d2e7c41b6a8e0d9c3f2a1b4e5d6c7', now(), now());

INSERT INTO users (email, name, plan, locale, admin, last_sign_in_at, created_at, updated_at)
SELECT 'user' || g || '@' || ${pick(['gmail.com', 'naver.com', 'daum.net', 'kakao.com', 'company.co.kr', 'excelapp.com'])},
       ${pick(['김', '이', '박', '최', '정', '강', '조', '윤', '장', '임'])} || ${pick(['민준', '서연', '도윤', '지우', '하준', '서윤', '시우', '지민', '예준', '수아'])},
       CASE WHEN r < 0.72 THEN 'free' WHEN r < 0.95 THEN 'pro' ELSE 'business' END,
       CASE WHEN random() < 0.93 THEN 'ko' ELSE 'en' END,
       g <= 5,
       CASE WHEN random() < 0.85 THEN now() - random() * interval '120 days' END,
       t, t + random() * interval '30 days'
FROM (SELECT g, random() AS r, ${AGE(1.3)} AS t FROM generate_series(1, ${s.users}) g) x;
UPDATE users SET updated_at = LEAST(updated_at, now());

INSERT INTO excel_files (user_id, filename, content_type, byte_size, storage_key, upload_status, error_message, sheet_count, row_count, created_at, updated_at)
SELECT 1 + floor(random() * ${s.users})::bigint,
       ${pick(['매출_보고서', '재고관리', '급여명세서', '예산계획', '고객목록', '월간실적', '견적서', '회계장부', 'sales_q3', 'inventory'])} || '_' || to_char(t, 'YYYYMMDD') || CASE WHEN random() < 0.9 THEN '.xlsx' ELSE '.xls' END,
       CASE WHEN random() < 0.9 THEN 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' ELSE 'application/vnd.ms-excel' END,
       (20000 + power(random(), 3) * 25000000)::bigint,
       md5('file' || g),
       CASE WHEN r < 0.965 THEN 'completed' WHEN r < 0.995 OR t < now() - interval '1 day' THEN 'failed' ELSE 'processing' END,
       CASE WHEN r >= 0.965 AND (r < 0.995 OR t < now() - interval '1 day') THEN ${pick(['Zip::Error: invalid zip file', 'File too large (max 50MB)', 'Roo::HeaderRowNotFoundError', 'ActiveStorage::IntegrityError', 'Timeout::Error: parsing exceeded 120s', 'Encoding::UndefinedConversionError'])} END,
       1 + floor(random() * 8)::int, floor(random() * 20000)::int,
       t, t + random() * interval '10 minutes'
FROM (SELECT g, random() AS r, ${AGE(1.6)} AS t FROM generate_series(1, ${s.excelFiles}) g) x;

INSERT INTO ai_analyses (excel_file_id, user_id, analysis_type, model, status, error_message, tokens_used, duration_ms, completed_at, created_at, updated_at)
SELECT f, 1 + floor(random() * ${s.users})::bigint,
       ${pick(['formula_check', 'summary', 'chart_suggestion', 'error_detection', 'pivot_suggestion'])},
       ${pick(['gpt-4o-mini', 'gpt-4o-mini', 'gpt-4o', 'claude-3-5-sonnet'])},
       CASE WHEN r < 0.925 THEN 'completed' WHEN r < 0.985 OR t < now() - interval '2 hours' THEN 'failed' ELSE 'pending' END,
       CASE WHEN r >= 0.925 AND (r < 0.985 OR t < now() - interval '2 hours') THEN ${pick(['Net::ReadTimeout: OpenAI API timeout after 60s', 'RateLimitError: 429 Too Many Requests', 'FormulaEngine::Unavailable: 503 Service Unavailable', 'ContextLengthExceeded: 131072 tokens', 'JSON::ParserError: unexpected token in AI response', 'Faraday::ConnectionFailed: Connection reset by peer'])} END,
       CASE WHEN r < 0.925 THEN 500 + floor(random() * 12000)::int END,
       CASE WHEN r < 0.925 THEN 800 + floor(power(random(), 2) * 45000)::int END,
       CASE WHEN r < 0.925 THEN t + random() * interval '1 minute' END,
       t, t + interval '1 minute'
FROM (SELECT g, 1 + floor(random() * ${s.excelFiles})::bigint AS f, random() AS r, ${AGE(1.5)} AS t FROM generate_series(1, ${s.aiAnalyses}) g) x;

INSERT INTO ai_usage_records (user_id, ai_analysis_id, model, prompt_tokens, completion_tokens, cost_usd, created_at, updated_at)
SELECT 1 + floor(random() * ${s.users})::bigint,
       CASE WHEN random() < 0.7 THEN 1 + floor(random() * ${s.aiAnalyses})::bigint END,
       m, p, c, (p * 0.00000015 + c * 0.0000006)::numeric(10,6), t, t
FROM (SELECT ${pick(['gpt-4o-mini', 'gpt-4o-mini', 'gpt-4o', 'claude-3-5-sonnet'])} AS m, 200 + floor(random() * 8000)::int AS p,
             50 + floor(random() * 2000)::int AS c, ${AGE(1.15)} AS t FROM generate_series(1, ${s.aiUsageRecords}) g) x;

INSERT INTO chat_messages (user_id, excel_file_id, role, content, tokens, created_at, updated_at)
SELECT 1 + floor(random() * ${s.users})::bigint,
       CASE WHEN random() < 0.8 THEN 1 + floor(random() * ${s.excelFiles})::bigint END,
       CASE WHEN g % 2 = 0 THEN 'user' ELSE 'assistant' END,
       CASE WHEN g % 2 = 0 THEN ${pick(['B열 합계가 맞지 않아요', 'VLOOKUP이 #N/A를 반환합니다', '이 시트에서 중복을 찾아 주세요', '월별 매출 차트를 만들어 주세요', '피벗 테이블로 요약해 줘', 'SUMIF 수식 좀 고쳐 주세요'])}
            ELSE ${pick(['B2:B120 범위에 텍스트로 저장된 숫자가 있습니다. VALUE()로 변환하세요.', 'VLOOKUP의 범위 인수에 $를 붙여 절대 참조로 바꾸세요.', '중복된 행 37개를 찾았습니다: 거래처 코드 기준.', '월별 매출 선 그래프를 제안합니다: A열 날짜, D열 금액.', 'SUMIF(C:C,"서울",D:D)로 지역별 합계를 구할 수 있습니다.'])} END,
       20 + floor(random() * 600)::int, t, t
FROM (SELECT g, ${AGE(1.15)} AS t FROM generate_series(1, ${s.chatMessages}) g) x;

INSERT INTO payments (user_id, amount, currency, plan, status, provider, provider_payment_id, failure_code, failure_message, paid_at, created_at, updated_at)
SELECT 1 + floor(random() * ${s.users})::bigint,
       CASE WHEN pl = 'pro' THEN 9900 WHEN pl = 'pro_yearly' THEN 99000 ELSE 29000 END, 'KRW', pl,
       CASE WHEN r < 0.965 THEN 'succeeded' WHEN r < 0.99 THEN 'failed' ELSE 'refunded' END,
       CASE WHEN random() < 0.85 THEN 'toss' ELSE 'kakaopay' END,
       'pay_' || substr(md5('pay' || g), 1, 20),
       CASE WHEN r >= 0.965 AND r < 0.99 THEN ${pick(['CARD_DECLINED', 'INSUFFICIENT_FUNDS', 'EXPIRED_CARD', 'PROVIDER_TIMEOUT', 'INVALID_CARD_NUMBER'])} END,
       CASE WHEN r >= 0.965 AND r < 0.99 THEN '결제 승인 실패' END,
       CASE WHEN r < 0.965 OR r >= 0.99 THEN t + interval '3 seconds' END,
       t, t + interval '3 seconds'
FROM (SELECT g, random() AS r, ${pick(['pro', 'pro', 'pro', 'business', 'pro_yearly'])} AS pl, ${AGE(1.4)} AS t FROM generate_series(1, ${s.payments}) g) x;

INSERT INTO solid_queue_jobs (queue_name, class_name, arguments, priority, active_job_id, scheduled_at, finished_at, created_at, updated_at)
SELECT q, c, '{"job_class":"' || c || '","arguments":[' || g || ']}', CASE WHEN q = 'default' THEN 0 ELSE 10 END,
       md5('job' || g)::uuid::text, t,
       CASE WHEN r < 0.975 OR t < now() - interval '1 day' THEN t + (1 + power(random(), 4) * 300) * interval '1 second' END,
       t, t
FROM (SELECT g, random() AS r, ${pick(['default', 'ai_analysis', 'ai_analysis', 'file_processing', 'mailers'])} AS q,
             ${pick(['ExcelFileProcessJob', 'AiAnalysisJob', 'AiAnalysisJob', 'UsageRollupJob', 'PaymentWebhookJob', 'ActionMailer::MailDeliveryJob'])} AS c,
             ${AGE(1.2)} AS t FROM generate_series(1, ${s.jobs}) g) x;
UPDATE solid_queue_jobs SET finished_at = NULL WHERE id IN (SELECT id FROM solid_queue_jobs WHERE class_name = 'AiAnalysisJob' ORDER BY id DESC LIMIT 40);

INSERT INTO solid_queue_failed_executions (job_id, error, created_at)
SELECT id, ${pick([
    '{"exception_class":"Net::ReadTimeout","message":"Net::ReadTimeout with #<TCPSocket:(closed)>","backtrace":["app/services/ai_client.rb:88:in `post!\'"]}',
    '{"exception_class":"FormulaEngine::Unavailable","message":"503 Service Unavailable","backtrace":["app/services/formula_engine_client.rb:41:in `evaluate\'"]}',
    '{"exception_class":"ActiveRecord::RecordNotFound","message":"Couldn\'t find ExcelFile","backtrace":["app/jobs/excel_file_process_job.rb:12:in `perform\'"]}',
  ])}, finished_at
FROM solid_queue_jobs WHERE finished_at IS NOT NULL AND random() < 0.015;

-- a little churn, so the tables carry dead rows for VACUUM to find
UPDATE excel_files SET updated_at = updated_at + interval '1 second' WHERE id % 17 = 0;

ALTER TABLE excel_files ADD CONSTRAINT fk_rails_excel_files_user FOREIGN KEY (user_id) REFERENCES users(id);
ALTER TABLE ai_analyses ADD CONSTRAINT fk_rails_ai_analyses_excel_file FOREIGN KEY (excel_file_id) REFERENCES excel_files(id);
ALTER TABLE payments ADD CONSTRAINT fk_rails_payments_user FOREIGN KEY (user_id) REFERENCES users(id);
ALTER TABLE solid_queue_failed_executions ADD CONSTRAINT fk_rails_failed_executions_job FOREIGN KEY (job_id) REFERENCES solid_queue_jobs(id) ON DELETE CASCADE;

-- indexes the app uses
CREATE UNIQUE INDEX index_users_on_email ON users (email);
CREATE INDEX index_excel_files_on_user_id ON excel_files (user_id);
CREATE INDEX index_excel_files_on_upload_status ON excel_files (upload_status);
CREATE INDEX index_excel_files_on_created_at ON excel_files (created_at);
CREATE INDEX index_ai_analyses_on_excel_file_id ON ai_analyses (excel_file_id);
CREATE INDEX index_ai_analyses_on_status ON ai_analyses (status);
CREATE INDEX index_ai_usage_records_on_user_id_and_created_at ON ai_usage_records (user_id, created_at);
CREATE INDEX index_chat_messages_on_user_id ON chat_messages (user_id);
CREATE INDEX index_chat_messages_on_excel_file_id ON chat_messages (excel_file_id);
CREATE INDEX index_payments_on_user_id ON payments (user_id);
CREATE INDEX index_payments_on_status ON payments (status);
CREATE INDEX index_solid_queue_jobs_on_queue_name_and_finished_at ON solid_queue_jobs (queue_name, finished_at);
CREATE INDEX index_solid_queue_jobs_on_active_job_id ON solid_queue_jobs (active_job_id);
CREATE UNIQUE INDEX index_solid_queue_failed_executions_on_job_id ON solid_queue_failed_executions (job_id);
-- indexes nothing uses (an index review should find them)
CREATE INDEX index_excel_files_on_content_type ON excel_files (content_type);
CREATE INDEX index_users_on_last_sign_in_at ON users (last_sign_in_at);
CREATE INDEX index_chat_messages_on_role ON chat_messages (role);
CREATE INDEX index_ai_usage_records_on_model ON ai_usage_records (model);
CREATE INDEX index_ai_analyses_on_analysis_type_and_model ON ai_analyses (analysis_type, model);
CREATE INDEX index_payments_on_provider_payment_id_and_currency ON payments (provider_payment_id, currency);

CREATE VIEW background_jobs AS
SELECT j.id, j.queue_name AS queue, j.class_name,
       CASE WHEN f.id IS NOT NULL THEN 'failed' WHEN j.finished_at IS NOT NULL THEN 'finished'
            WHEN j.scheduled_at > now() THEN 'scheduled' ELSE 'pending' END AS status,
       j.created_at, j.scheduled_at, j.finished_at, f.error
FROM solid_queue_jobs j LEFT JOIN solid_queue_failed_executions f ON f.job_id = j.id;

INSERT INTO sandbox_meta VALUES ('data_version', '${DATA_VERSION}'), ('generated_at', now()::text);
`
}

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

// ---------------------------------------------------------------------------------------------
// Redis

export const REDIS_OWNER_KEY = 'excelapp:sandbox:owner'

/** Cache entries, sessions, rate-limit counters and FormulaEngine results, as the app keeps them. */
export async function seedRedis(redis: Redis, owner: string): Promise<number> {
  const p = redis.pipeline()
  p.set(REDIS_OWNER_KEY, owner)
  let n = 1
  for (let i = 1; i <= 120; i++) {
    p.set(`excelapp:cache:views/dashboard/${i}`, JSON.stringify({ files: i % 17, analyses: i % 5 }), 'EX', 3600 + i * 30)
    n++
  }
  for (let i = 1; i <= 80; i++) {
    p.hset(`excelapp:session:${(i * 2654435761 % 4294967296).toString(16).padStart(8, '0')}`, { user_id: String(i * 37), locale: 'ko', csrf: `t${i}` })
    p.expire(`excelapp:session:${(i * 2654435761 % 4294967296).toString(16).padStart(8, '0')}`, 86_400)
    n++
  }
  for (let i = 1; i <= 30; i++) {
    p.set(`rack::attack:${Math.floor(Date.now() / 60000)}:req/ip:10.0.${i % 4}.${i}`, String(i * 3), 'EX', 60)
    n++
  }
  for (let i = 1; i <= 150; i++) {
    p.set(`formula_engine:result:${(i * 40503).toString(16)}`, JSON.stringify({ value: i * 1.5, deps: ['A1', `B${i}`] }), 'EX', 7200)
    n++
  }
  p.lpush('excelapp:recent_uploads', ...Array.from({ length: 50 }, (_, i) => String(1000 + i)))
  p.set('excelapp:feature_flags', JSON.stringify({ ai_chat: true, pivot_suggestions: false }))
  n += 2
  await p.exec()
  return n
}
