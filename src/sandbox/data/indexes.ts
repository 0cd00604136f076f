// After the rows: a little churn (dead rows for VACUUM), the foreign keys, the indexes the app
// uses and some it never uses (an index review should find them), the background_jobs view, and
// the data version. The view's now() stays: it is evaluated when the view is queried.
import { DATA_VERSION } from './schema.js'

export function finishSql(now: string): string {
  return `
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

INSERT INTO sandbox_meta VALUES ('data_version', '${DATA_VERSION}'), ('generated_at', ${now}::text);
`
}
