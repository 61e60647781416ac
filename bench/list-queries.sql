-- The queries of the server's item list (StoreAccounts::ListItems → LedgerStore::ListItems, CountItems) for
-- bench/list-plans.sh: the ids of a page of 50 and the count, per filter, on the ledger of
-- `ledger_bench list` (today 2025-06-15, lead time 15 days). PostgreSQL syntax; list-plans.sh adapts it for SQLite.
\echo 'first page'
EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY ON) SELECT id FROM ledger_items WHERE review = 'accepted' ORDER BY id LIMIT 50 OFFSET 100;
EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY ON) SELECT COUNT(*) FROM ledger_items WHERE review = 'accepted';
\echo 'kind'
EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY ON) SELECT id FROM ledger_items WHERE kind = 'problem' AND review = 'accepted' ORDER BY id LIMIT 50 OFFSET 100;
EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY ON) SELECT COUNT(*) FROM ledger_items WHERE kind = 'problem' AND review = 'accepted';
\echo 'status'
EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY ON) SELECT id FROM ledger_items WHERE status = 'in_progress' AND review = 'accepted' ORDER BY id LIMIT 50 OFFSET 100;
EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY ON) SELECT COUNT(*) FROM ledger_items WHERE status = 'in_progress' AND review = 'accepted';
\echo 'unit (problems of a unit)'
EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY ON) SELECT id FROM ledger_items WHERE kind = 'problem' AND unit IN ('安平县水利局') AND review = 'accepted' ORDER BY id LIMIT 50;
EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY ON) SELECT COUNT(*) FROM ledger_items WHERE kind = 'problem' AND unit IN ('安平县水利局') AND review = 'accepted';
\echo 'deadline window'
EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY ON) SELECT id FROM ledger_items WHERE review = 'accepted' AND (deadline = '') IS FALSE AND deadline >= '2024-03-01' AND deadline <= '2024-03-28' ORDER BY id LIMIT 50;
EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY ON) SELECT COUNT(*) FROM ledger_items WHERE review = 'accepted' AND (deadline = '') IS FALSE AND deadline >= '2024-03-01' AND deadline <= '2024-03-28';
\echo 'red'
EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY ON) SELECT id FROM ledger_items WHERE review = 'accepted' AND review = 'accepted' AND status NOT IN ('done', 'cancelled', 'closed_off') AND deadline <> '' AND deadline < '2025-06-15' ORDER BY id LIMIT 50;
EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY ON) SELECT COUNT(*) FROM ledger_items WHERE review = 'accepted' AND review = 'accepted' AND status NOT IN ('done', 'cancelled', 'closed_off') AND deadline <> '' AND deadline < '2025-06-15';
\echo 'green'
EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY ON) SELECT id FROM ledger_items WHERE review = 'accepted' AND review = 'accepted' AND (status IN ('done', 'cancelled', 'closed_off') OR (review = 'accepted' AND status NOT IN ('done', 'cancelled', 'closed_off') AND deadline > '2025-06-30')) ORDER BY id LIMIT 50;
EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY ON) SELECT COUNT(*) FROM ledger_items WHERE review = 'accepted' AND review = 'accepted' AND status IN ('done', 'cancelled', 'closed_off');
EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY ON) SELECT COUNT(*) FROM ledger_items WHERE review = 'accepted' AND review = 'accepted' AND status NOT IN ('done', 'cancelled', 'closed_off') AND deadline > '2025-06-30';
\echo 'text'
EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY ON) SELECT id FROM ledger_items WHERE review = 'accepted' AND strpos(task, '项目') > 0 ORDER BY id LIMIT 50;
EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY ON) SELECT COUNT(*) FROM ledger_items WHERE review = 'accepted' AND strpos(task, '项目') > 0;
\echo 'sort deadline'
EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY ON) SELECT id FROM ledger_items WHERE review = 'accepted' ORDER BY (deadline = ''), deadline, review, id LIMIT 50 OFFSET 500;
\echo 'sort updated'
EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY ON) SELECT id FROM ledger_items WHERE review = 'accepted' ORDER BY updated_at DESC, id DESC LIMIT 50 OFFSET 100;
\echo 'scope: a county (10 offices), first page'
EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY ON) SELECT id FROM ledger_items WHERE review = 'accepted' AND (unit IN ('安平县水利局','安平县住建局','安平县市场监督管理局','安平县应急管理局','安平县审计局','安平县经信局','安平县教育局','安平县卫健局','安平县交通运输局','安平县自然资源局')) ORDER BY id LIMIT 50;
EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY ON) SELECT COUNT(*) FROM ledger_items WHERE review = 'accepted' AND (unit IN ('安平县水利局','安平县住建局','安平县市场监督管理局','安平县应急管理局','安平县审计局','安平县经信局','安平县教育局','安平县卫健局','安平县交通运输局','安平县自然资源局'));
\echo 'distinct 牵头单位 (ItemUnitTexts)'
EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY ON) WITH RECURSIVE u(unit) AS (SELECT MIN(lead_unit) FROM ledger_items WHERE lead_unit > '' UNION ALL SELECT (SELECT MIN(lead_unit) FROM ledger_items WHERE lead_unit > u.unit) FROM u WHERE u.unit IS NOT NULL) SELECT unit FROM u WHERE unit IS NOT NULL;
