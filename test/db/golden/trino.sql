SELECT "race", "Sex", fairkit_label, fairkit_decision, COUNT(*) AS fairkit_rows, SUM(fairkit_w) AS fairkit_weight, SUM(fairkit_w * fairkit_w) AS fairkit_weight2, SUM(CASE WHEN fairkit_w IS NULL THEN 1 ELSE 0 END) AS fairkit_weight_missing, SUM(CASE WHEN fairkit_w < 0 OR (is_nan(fairkit_w) OR is_infinite(fairkit_w)) THEN 1 ELSE 0 END) AS fairkit_weight_bad
FROM (
  SELECT CAST("race" AS VARCHAR) AS "race", CAST("Sex" AS VARCHAR) AS "Sex", CAST("outcome" AS VARCHAR) AS fairkit_label, CASE WHEN CAST("risk score" AS DOUBLE) IS NULL THEN NULL WHEN (is_nan(CAST("risk score" AS DOUBLE)) OR is_infinite(CAST("risk score" AS DOUBLE))) THEN 2 WHEN CAST("risk score" AS DOUBLE) >= 0.5 THEN 1 ELSE 0 END AS fairkit_decision, CAST("w" AS DOUBLE) AS fairkit_w
  FROM "analytics"."decisions" AS fairkit_input
  WHERE (("age" BETWEEN 18 AND 65) AND ("state" NOT IN ('NY', 'it''s')) AND (lower("name") LIKE 'a%') AND (lower("name") LIKE lower('%b')) AND ((CAST("x" AS DOUBLE) / CAST(2 AS DOUBLE)) > 1.25) AND ("day" >= CAST('2026-01-01' AS DATE)) AND ((CASE WHEN "flag" THEN 1 ELSE 0 END) = 1) AND ("y" IS NOT NULL) AND ((- "z") < (-3)))
) AS fairkit_cells
GROUP BY "race", "Sex", fairkit_label, fairkit_decision;
