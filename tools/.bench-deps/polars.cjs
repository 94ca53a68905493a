const pl = require('nodejs-polars');
const [visits, asOf, out] = process.argv.slice(2);
const ok = pl.col('amount').gtEq(0);
const df = pl.scanCSV(visits, { hasHeader: true, inferSchemaLength: 0 })  // all columns as text: ids keep their zeros
  .select('visit_id', 'patient_id', 'date', pl.col('amount').cast(pl.Float64), 'status')
  .filter(pl.col('status').eq(pl.lit('completed')).and(pl.col('date').ltEq(pl.lit(asOf))))
  .groupBy('patient_id')
  .agg(pl.col('date').filter(ok).max().alias('last_visit'),
       pl.col('visit_id').filter(ok).nUnique().alias('visits'),
       pl.col('amount').mul(100).round(0).cast(pl.Int64).sum().alias('kopecks'))
  .filter(pl.col('visits').gt(0))
  .collectSync();
df.writeCSV(out);
