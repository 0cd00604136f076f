// The sandbox database's schema: the ExcelApp tables the operations guide mentions (created empty;
// rows.ts fills them, indexes.ts adds keys, indexes and the jobs view).

/** Bumped when the schema or the generated data change: `up` regenerates an older database. */
export const DATA_VERSION = '2'

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
