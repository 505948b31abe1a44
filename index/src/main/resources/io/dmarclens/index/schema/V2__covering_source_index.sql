-- Version 2: the per-source index covers every column the source queries read, so grouping by source
-- walks the index in order instead of looking each row up in the table.
DROP INDEX rollup_daily_ip;
CREATE INDEX rollup_daily_source ON rollup_daily (source_ip, day, policy_domain, reporter, dmarc_pass, spf_aligned,
  dkim_aligned, classification, reasons, messages);
