SELECT "race", "Sex", fairkit_label, fairkit_decision, COUNT(*) AS fairkit_rows, SUM(fairkit_w) AS fairkit_weight, SUM(fairkit_w * fairkit_w) AS fairkit_weight2, SUM(CASE WHEN fairkit_w IS NULL THEN 1 ELSE 0 END) AS fairkit_weight_missing, SUM(CASE WHEN fairkit_w < 0 OR (fairkit_w) IN (CAST('NaN' AS DOUBLE PRECISION), CAST('Infinity' AS DOUBLE PRECISION), CAST('-Infinity' AS DOUBLE PRECISION)) THEN 1 ELSE 0 END) AS fairkit_weight_bad
FROM (
  SELECT CAST("race" AS TEXT) AS "race", CAST("Sex" AS TEXT) AS "Sex", CAST("outcome" AS TEXT) AS fairkit_label, CASE WHEN CAST("risk score" AS DOUBLE PRECISION) IS NULL THEN NULL WHEN (CAST("risk score" AS DOUBLE PRECISION)) IN (CAST('NaN' AS DOUBLE PRECISION), CAST('Infinity' AS DOUBLE PRECISION), CAST('-Infinity' AS DOUBLE PRECISION)) THEN 2 WHEN CAST("risk score" AS DOUBLE PRECISION) >= 0.5 THEN 1 ELSE 0 END AS fairkit_decision, CAST("w" AS DOUBLE PRECISION) AS fairkit_w
  FROM "analytics"."decisions" AS fairkit_input
  WHERE (("age" BETWEEN 18 AND 65) AND ("state" NOT IN ('NY', 'it''s')) AND (lower("name") LIKE 'a%') AND ("name" ILIKE '%b') AND ((CAST("x" AS DOUBLE PRECISION) / CAST(2 AS DOUBLE PRECISION)) > 1.25) AND ("day" >= CAST('2026-01-01' AS DATE)) AND ((CASE WHEN "flag" THEN 1 ELSE 0 END) = 1) AND ("y" IS NOT NULL) AND ((- "z") < (-3)))
) AS fairkit_cells
GROUP BY "race", "Sex", fairkit_label, fairkit_decision;
