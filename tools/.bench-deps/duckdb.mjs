import { DuckDBInstance } from '@duckdb/node-api';
const [visits, asOf, out] = process.argv.slice(2);
const db = await DuckDBInstance.create(':memory:', { threads: '2' });
const con = await db.connect();
await con.run(`COPY (
  SELECT patient_id,
         max(date) FILTER (WHERE amount >= 0) AS last_visit,
         count(DISTINCT visit_id) FILTER (WHERE amount >= 0) AS visits,
         CAST(sum(amount) * 100 AS BIGINT) AS kopecks
  FROM read_csv('${visits}', header = true, delim = ',', quote = '"',
       columns = {'visit_id': 'VARCHAR', 'patient_id': 'VARCHAR', 'date': 'DATE',
                  'amount': 'DECIMAL(18,2)', 'bonus_paid': 'DECIMAL(18,2)', 'service': 'VARCHAR',
                  'service_category': 'VARCHAR', 'doctor': 'VARCHAR', 'branch': 'VARCHAR',
                  'status': 'VARCHAR'})
  WHERE status = 'completed' AND date <= DATE '${asOf}'
  GROUP BY patient_id HAVING visits > 0
) TO '${out}' (HEADER, DELIMITER ',')`);
