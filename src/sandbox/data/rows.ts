// The sandbox's rows, table by table: two years of generated data in SQL (generate_series, a
// fixed random seed), more of it recent (the service grew), with the failures and leftovers the
// guide's checks and clean-ups look for. `now` is the time the data is generated for: every
// phase takes it as a SQL literal, so the same clock gives the same ages.
import type { DataScale } from './scale.js'

/** A point in time as a SQL literal. */
export const sqlTime = (d: Date) => `'${d.toISOString()}'::timestamptz`

/** Rows spread over the last two years, more of them recent (the service grew). */
const age = (now: string, power: number) => `${now} - (730 * power(random(), ${power})) * interval '1 day' - random() * interval '1 day'`

const pick = (values: string[]) => `(ARRAY[${values.map((v) => `'${v.replace(/'/g, "''")}'`).join(',')}])[1 + floor(random() * ${values.length})::int]`

type Phase = (s: DataScale, now: string) => string

/** The random seed and the Rails bookkeeping tables. */
const start: Phase = (_s, now) => `
SELECT setseed(0.4242);

INSERT INTO schema_migrations (version) VALUES
  ('20240102093000'), ('20240215120000'), ('20240410081500'), ('20240702140000'), ('20241001100000'),
  ('20250113090000'), ('20250320110000'), ('20250601093000'), ('20250719100000');
INSERT INTO ar_internal_metadata VALUES ('environment', 'production', ${now}, ${now}), ('schema_sha1', 'f3b1c0de5a9d2e7c41b6a8e0d9c3f2a1b4e5d6c7', ${now}, ${now});
`

/** Users: mostly free, some pro and business; a few admins. */
const users: Phase = (s, now) => `
INSERT INTO users (email, name, plan, locale, admin, last_sign_in_at, created_at, updated_at)
SELECT 'user' || g || '@' || ${pick(['gmail.com', 'naver.com', 'daum.net', 'kakao.com', 'company.co.kr', 'excelapp.com'])},
       ${pick(['김', '이', '박', '최', '정', '강', '조', '윤', '장', '임'])} || ${pick(['민준', '서연', '도윤', '지우', '하준', '서윤', '시우', '지민', '예준', '수아'])},
       CASE WHEN r < 0.72 THEN 'free' WHEN r < 0.95 THEN 'pro' ELSE 'business' END,
       CASE WHEN random() < 0.93 THEN 'ko' ELSE 'en' END,
       g <= 5,
       CASE WHEN random() < 0.85 THEN ${now} - random() * interval '120 days' END,
       t, t + random() * interval '30 days'
FROM (SELECT g, random() AS r, ${age(now, 1.3)} AS t FROM generate_series(1, ${s.users}) g) x;
UPDATE users SET updated_at = LEAST(updated_at, ${now});
`

/** Uploaded files: a few percent failed, a few stuck in processing. */
const excelFiles: Phase = (s, now) => `
INSERT INTO excel_files (user_id, filename, content_type, byte_size, storage_key, upload_status, error_message, sheet_count, row_count, created_at, updated_at)
SELECT 1 + floor(random() * ${s.users})::bigint,
       ${pick(['매출_보고서', '재고관리', '급여명세서', '예산계획', '고객목록', '월간실적', '견적서', '회계장부', 'sales_q3', 'inventory'])} || '_' || to_char(t, 'YYYYMMDD') || CASE WHEN random() < 0.9 THEN '.xlsx' ELSE '.xls' END,
       CASE WHEN random() < 0.9 THEN 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' ELSE 'application/vnd.ms-excel' END,
       (20000 + power(random(), 3) * 25000000)::bigint,
       md5('file' || g),
       CASE WHEN r < 0.965 THEN 'completed' WHEN r < 0.995 OR t < ${now} - interval '1 day' THEN 'failed' ELSE 'processing' END,
       CASE WHEN r >= 0.965 AND (r < 0.995 OR t < ${now} - interval '1 day') THEN ${pick(['Zip::Error: invalid zip file', 'File too large (max 50MB)', 'Roo::HeaderRowNotFoundError', 'ActiveStorage::IntegrityError', 'Timeout::Error: parsing exceeded 120s', 'Encoding::UndefinedConversionError'])} END,
       1 + floor(random() * 8)::int, floor(random() * 20000)::int,
       t, t + random() * interval '10 minutes'
FROM (SELECT g, random() AS r, ${age(now, 1.6)} AS t FROM generate_series(1, ${s.excelFiles}) g) x;
`

/** AI analyses: some failed with the errors the guide lists, a few pending. */
const aiAnalyses: Phase = (s, now) => `
INSERT INTO ai_analyses (excel_file_id, user_id, analysis_type, model, status, error_message, tokens_used, duration_ms, completed_at, created_at, updated_at)
SELECT f, 1 + floor(random() * ${s.users})::bigint,
       ${pick(['formula_check', 'summary', 'chart_suggestion', 'error_detection', 'pivot_suggestion'])},
       ${pick(['gpt-4o-mini', 'gpt-4o-mini', 'gpt-4o', 'claude-3-5-sonnet'])},
       CASE WHEN r < 0.925 THEN 'completed' WHEN r < 0.985 OR t < ${now} - interval '2 hours' THEN 'failed' ELSE 'pending' END,
       CASE WHEN r >= 0.925 AND (r < 0.985 OR t < ${now} - interval '2 hours') THEN ${pick(['Net::ReadTimeout: OpenAI API timeout after 60s', 'RateLimitError: 429 Too Many Requests', 'FormulaEngine::Unavailable: 503 Service Unavailable', 'ContextLengthExceeded: 131072 tokens', 'JSON::ParserError: unexpected token in AI response', 'Faraday::ConnectionFailed: Connection reset by peer'])} END,
       CASE WHEN r < 0.925 THEN 500 + floor(random() * 12000)::int END,
       CASE WHEN r < 0.925 THEN 800 + floor(power(random(), 2) * 45000)::int END,
       CASE WHEN r < 0.925 THEN t + random() * interval '1 minute' END,
       t, t + interval '1 minute'
FROM (SELECT g, 1 + floor(random() * ${s.excelFiles})::bigint AS f, random() AS r, ${age(now, 1.5)} AS t FROM generate_series(1, ${s.aiAnalyses}) g) x;
`

/** Token usage and cost per AI call. */
const aiUsageRecords: Phase = (s, now) => `
INSERT INTO ai_usage_records (user_id, ai_analysis_id, model, prompt_tokens, completion_tokens, cost_usd, created_at, updated_at)
SELECT 1 + floor(random() * ${s.users})::bigint,
       CASE WHEN random() < 0.7 THEN 1 + floor(random() * ${s.aiAnalyses})::bigint END,
       m, p, c, (p * 0.00000015 + c * 0.0000006)::numeric(10,6), t, t
FROM (SELECT ${pick(['gpt-4o-mini', 'gpt-4o-mini', 'gpt-4o', 'claude-3-5-sonnet'])} AS m, 200 + floor(random() * 8000)::int AS p,
             50 + floor(random() * 2000)::int AS c, ${age(now, 1.15)} AS t FROM generate_series(1, ${s.aiUsageRecords}) g) x;
`

/** Chat messages, questions and answers in turn. */
const chatMessages: Phase = (s, now) => `
INSERT INTO chat_messages (user_id, excel_file_id, role, content, tokens, created_at, updated_at)
SELECT 1 + floor(random() * ${s.users})::bigint,
       CASE WHEN random() < 0.8 THEN 1 + floor(random() * ${s.excelFiles})::bigint END,
       CASE WHEN g % 2 = 0 THEN 'user' ELSE 'assistant' END,
       CASE WHEN g % 2 = 0 THEN ${pick(['B열 합계가 맞지 않아요', 'VLOOKUP이 #N/A를 반환합니다', '이 시트에서 중복을 찾아 주세요', '월별 매출 차트를 만들어 주세요', '피벗 테이블로 요약해 줘', 'SUMIF 수식 좀 고쳐 주세요'])}
            ELSE ${pick(['B2:B120 범위에 텍스트로 저장된 숫자가 있습니다. VALUE()로 변환하세요.', 'VLOOKUP의 범위 인수에 $를 붙여 절대 참조로 바꾸세요.', '중복된 행 37개를 찾았습니다: 거래처 코드 기준.', '월별 매출 선 그래프를 제안합니다: A열 날짜, D열 금액.', 'SUMIF(C:C,"서울",D:D)로 지역별 합계를 구할 수 있습니다.'])} END,
       20 + floor(random() * 600)::int, t, t
FROM (SELECT g, ${age(now, 1.15)} AS t FROM generate_series(1, ${s.chatMessages}) g) x;
`

/** Payments: a few failed (card declined, provider timeout), a few refunded. */
const payments: Phase = (s, now) => `
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
FROM (SELECT g, random() AS r, ${pick(['pro', 'pro', 'pro', 'business', 'pro_yearly'])} AS pl, ${age(now, 1.4)} AS t FROM generate_series(1, ${s.payments}) g) x;
`

/** Background jobs (solid_queue), a few unfinished, some failed (finished_at NULL, as Solid Queue leaves it). */
const jobs: Phase = (s, now) => `
INSERT INTO solid_queue_jobs (queue_name, class_name, arguments, priority, active_job_id, scheduled_at, finished_at, created_at, updated_at)
SELECT q, c, '{"job_class":"' || c || '","arguments":[' || g || ']}', CASE WHEN q = 'default' THEN 0 ELSE 10 END,
       md5('job' || g)::uuid::text,
       CASE WHEN r < 0.975 OR t < ${now} - interval '1 day' THEN t ELSE ${now} + (1 + random() * 6) * interval '1 day' END,
       CASE WHEN r < 0.975 OR t < ${now} - interval '1 day' THEN t + (1 + power(random(), 4) * 300) * interval '1 second' END,
       t, t
FROM (SELECT g, random() AS r, ${pick(['default', 'ai_analysis', 'ai_analysis', 'file_processing', 'mailers'])} AS q,
             ${pick(['ExcelFileProcessJob', 'AiAnalysisJob', 'AiAnalysisJob', 'UsageRollupJob', 'PaymentWebhookJob', 'ActionMailer::MailDeliveryJob'])} AS c,
             ${age(now, 1.2)} AS t FROM generate_series(1, ${s.jobs}) g) x;
-- A queue that keeps up: what is not finished is scheduled for later (retries with a wait,
-- recurring jobs, days ahead so that a sandbox left up stays healthy), none is overdue.
UPDATE solid_queue_jobs SET finished_at = NULL, scheduled_at = ${now} + (1 + random() * 6) * interval '1 day'
WHERE id IN (SELECT id FROM solid_queue_jobs WHERE class_name = 'AiAnalysisJob' ORDER BY id DESC LIMIT 40);

INSERT INTO solid_queue_failed_executions (job_id, error, created_at)
SELECT id, ${pick([
    '{"exception_class":"Net::ReadTimeout","message":"Net::ReadTimeout with #<TCPSocket:(closed)>","backtrace":["app/services/ai_client.rb:88:in `post!\'"]}',
    '{"exception_class":"FormulaEngine::Unavailable","message":"503 Service Unavailable","backtrace":["app/services/formula_engine_client.rb:41:in `evaluate\'"]}',
    '{"exception_class":"ActiveRecord::RecordNotFound","message":"Couldn\'t find ExcelFile","backtrace":["app/jobs/excel_file_process_job.rb:12:in `perform\'"]}',
  ])}, finished_at
FROM solid_queue_jobs WHERE finished_at IS NOT NULL AND random() < 0.015;
-- Solid Queue marks a job finished only when it succeeded: a failed job keeps finished_at NULL and
-- has a solid_queue_failed_executions row (until it is retried or discarded), as in production.
UPDATE solid_queue_jobs SET finished_at = NULL WHERE id IN (SELECT job_id FROM solid_queue_failed_executions);
`

/** Every row of every table, in the order the foreign keys need. */
export function rowsSql(s: DataScale, now: Date): string {
  const t = sqlTime(now)
  return [start, users, excelFiles, aiAnalyses, aiUsageRecords, chatMessages, payments, jobs].map((phase) => phase(s, t)).join('')
}
